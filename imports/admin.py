"""Import jobs in the back office: a read-only list, each linked to its page (the bar and the result)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("file_name", "status", "dry_run", "processed", "created_count", "updated_count",
                    "failed_count", "created_at", "finished_at", "actor", "followed")  # fmt: skip
    list_filter = ("status", "dry_run")
    list_select_related = ("actor",)
    exclude = ("stored_file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="page")
    def followed(self, obj):
        url = reverse("admin:candidates_candidate_import_progress", args=[obj.pk])
        return format_html('<a href="{}">progress and result</a>', url)
