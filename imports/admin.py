"""
Imports in the back office: the upload page (the import job's "add" page, linked from the
candidates' list) queues the same import as the API, the job's page follows it with a bar and
shows the result, and the jobs are listed read-only. For users who may add and change candidates.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from imports.importer import ImportFileError
from imports.models import ImportJob
from imports.serializers import ImportJobSerializer
from imports.services import import_queue
from imports.views import IMPORT_PERMISSIONS
from recruitos.changes import Via

#: How many bad rows the job's page lists; the summary counts them all.
SHOWN_IMPORT_ERRORS = 100


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A .csv file or a .json array, with the API's field names as columns.")
    dry_run = forms.BooleanField(required=False, help_text="Check the file and count, write nothing.")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("file_name", "status", "dry_run", "processed", "created_count", "updated_count",
                    "failed_count", "created_at", "finished_at", "actor", "via")  # fmt: skip
    list_filter = ("status", "dry_run", "via")
    list_select_related = ("actor",)

    def has_module_permission(self, request):
        return request.user.has_perms(IMPORT_PERMISSIONS) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perms(IMPORT_PERMISSIONS) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.has_perms(IMPORT_PERMISSIONS)

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if pattern.name == "imports_importjob_add":
                pattern.callback.takes_imports = True  # files up to IMPORT_MAX_BYTES (recruitos.uploads.UploadCap)
        return urls

    def add_view(self, request, form_url="", extra_context=None):
        """Upload a file and queue its import; the job's page shows it run."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if getattr(request, "upload_too_large", False):
            limit = round(settings.IMPORT_MAX_BYTES / 1_048_576, 1)
            form.errors["file"] = form.error_class(
                [f"The file is over {limit} MB; import it with `manage.py import_candidates` instead."]
            )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_queue(
                    file=upload,
                    name=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                    actor=request.user,
                    via=Via.ADMIN,
                )
            except ImportFileError as exc:
                self.message_user(request, f"{upload.name}: {exc}", messages.ERROR)
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.opts,
            "title": "Import candidates",
            "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576,
        }
        return TemplateResponse(request, "admin/imports/importjob/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An import as it runs: a bar that moves (imports/progress.js reads the API), then the result."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = ImportJob.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if job is None:
            raise Http404(f"No import job {object_id}.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Import of {job.file_name}",
            "job": job,
            "job_json": ImportJobSerializer(job).data,
            "shown_errors": SHOWN_IMPORT_ERRORS,
        }
        return TemplateResponse(request, "admin/imports/importjob/progress.html", context)
