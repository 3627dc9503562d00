"""
API keys in the back office: made (the key shown once), named, given an expiry, revoked; and
Django's users and roles, their names held to the single-line text rule.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from accounts.models import ApiKey
from accounts.services import api_key_create, api_key_revoke
from recruitos.text import PlainText

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


class PlainTextFields:
    """A form whose text fields keep the single-line text rule (`recruitos.text.PlainText`), for Django's own models."""

    plain_text = ("username", "first_name", "last_name", "email", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_text:
            if name in self.fields:
                self.fields[name].validators.append(PlainText())


class UserChange(PlainTextFields, UserAdmin.form):
    pass


class UserCreation(PlainTextFields, UserAdmin.add_form):
    pass


class RoleForm(PlainTextFields, forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "permissions"]


class PlainTextUserAdmin(UserAdmin):
    """Django's user admin, its names and address by the single-line text rule."""

    form = UserChange
    add_form = UserCreation


class PlainTextGroupAdmin(GroupAdmin):
    """Django's group (role) admin, the role's name by the single-line text rule."""

    form = RoleForm


for model, model_admin in ((get_user_model(), PlainTextUserAdmin), (Group, PlainTextGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
