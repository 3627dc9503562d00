"""API keys in the back office: made (the key shown once), named, given an expiry, revoked."""

from django.contrib import admin, messages
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from accounts.models import ApiKey
from accounts.services import api_key_create, api_key_revoke

# The library's own key model (no user) is not used here; only `ApiKey` is.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    list_display = ("prefix", "name", "user", "created", "expiry_date", "_has_expired", "last_used", "revoked")
    list_filter = ("revoked", "created", "expiry_date")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    fields = ("name", "user", "expiry_date", "revoked", "prefix", "created", "last_used")
    actions = ["revoke_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("prefix", "created", "last_used", "revoked")
        if obj.revoked:
            return self.fields
        return ("prefix", "user", "created", "last_used")

    def save_model(self, request, obj, form, change):
        if not change:
            saved, key = api_key_create(user=obj.user, name=obj.name, expires=obj.expiry_date)
            obj.__dict__.update(saved.__dict__)
            messages.warning(
                request,
                f"The new API key for {obj.user.get_username()} is: {key} — copy it now: it is stored "
                "only as a hash and cannot be shown again.",
            )
        else:
            obj.save()  # A revoked key cannot be unrevoked (the model refuses).

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke_selected(self, request, queryset):
        keys = list(queryset.filter(revoked=False))
        for api_key in keys:
            api_key_revoke(instance=api_key)
        self.message_user(request, f"Revoked {len(keys)} API keys.", messages.SUCCESS)
