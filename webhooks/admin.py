"""Webhooks in the back office: subscriptions (turned off ones say why), deliveries and their attempts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from webhooks.addresses import ForbiddenAddress, target
from webhooks.models import (
    OWNER_MAY_NOT,
    Attempt,
    Delivery,
    DeliveryStatus,
    EventType,
    Subscription,
    missing_permissions,
)
from webhooks.outbox import redeliver


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", help_text="https, on a public address.")
    events = forms.MultipleChoiceField(choices=EventType.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Subscription
        fields = ["url", "events", "active", "minimal_payload", "description"]

    owner = None  # set per request (SubscriptionAdmin.get_form): who made it, or who makes it now

    def clean(self):
        cleaned = super().clean()
        if missing := missing_permissions(self.owner, cleaned.get("events") or []):
            self.add_error("events", OWNER_MAY_NOT.format(", ".join(missing)))
        return cleaned

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            target(url)
        except ForbiddenAddress as exc:
            raise ValidationError(f"Not allowed: {exc}.") from exc
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("url", "active", "event_list", "consecutive_failures", "last_success_at", "disabled_reason")
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = ("created_at", "created_by", "consecutive_failures", "failing_since", "last_success_at",
                       "disabled_reason")  # fmt: skip

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.events)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.owner = obj.created_by if obj is not None else request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif obj.active and "active" in form.changed_data:  # turned on again: its failures are forgotten
            obj.disabled_reason, obj.consecutive_failures, obj.failing_since = "", 0, None
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                f"The signing secret of this subscription is: {obj.secret} — copy it to the receiver now: "
                "it is not shown again.",
            )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ("at", "status_code", "duration_ms", "error", "response_excerpt")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_type", "subscription", "status_shown", "attempts", "next_attempt_at")
    list_filter = ("status", "event_type", "subscription")
    list_select_related = ("subscription",)
    fields = ("id", "subscription", "event_type", "status", "attempts", "created_at", "next_attempt_at",
              "delivered_at", "body")  # fmt: skip
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["redeliver_selected"]
    date_hierarchy = None
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="status", ordering="status")
    def status_shown(self, obj):
        colour = {DeliveryStatus.DELIVERED: "green", DeliveryStatus.FAILED: "#ba2121"}.get(obj.status, "inherit")
        return format_html('<span style="color: {}">{}</span>', colour, obj.get_status_display())

    @admin.action(description="Deliver the selected again now", permissions=["view"])
    def redeliver_selected(self, request, queryset):
        if not request.user.has_perm("webhooks.change_subscription"):
            self.message_user(request, "Redelivering needs the permission to change subscriptions.", messages.ERROR)
            return
        count = redeliver(queryset)
        self.message_user(request, f"Queued {count} deliveries again.", messages.SUCCESS)
