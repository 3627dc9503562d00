"""
The base class of the back office's model admins.

Saving and deleting in the admin goes through the same service functions as the API,
so validation of shared rules, `lastUpdated` handling and activity records are one
implementation for both.
"""

from django.contrib import admin
from django.db import models


class ServiceModelAdmin(admin.ModelAdmin):
    """
    A ModelAdmin whose writes call services.

    Subclasses set `create_service`, `update_service` and `delete_service` (wrapped in
    `staticmethod`), as on `recruitos.viewsets.ServiceModelViewSet`.
    """

    create_service = None
    update_service = None
    delete_service = None
    # A URL typed without a scheme ("example.com/cv.pdf") is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        fields = {field.name for field in obj._meta.concrete_fields}
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in fields}
            saved = self.update_service(instance=obj, data=data, actor=request.user)
        else:
            data = {name: value for name, value in form.cleaned_data.items() if name in fields}
            saved = self.create_service(data=data, actor=request.user)
        # The admin goes on using `obj` (log entry, inlines): give it the saved state.
        obj.__dict__.update(saved.__dict__)

    def delete_model(self, request, obj):
        self.delete_service(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(instance=obj, actor=request.user)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin for records that only the application writes: browse, filter, search."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
