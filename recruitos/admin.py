"""
The back office's shared admin classes.

Saving and deleting in the admin, inlines included, goes through the same service
functions as the API, so validation, `lastUpdated` handling and what a change means are one
implementation for both. Apps add read-only panels to other apps' change pages (`add_panel`)
without those apps knowing them.
"""

from collections import defaultdict

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import IS_FACETS_VAR, IS_POPUP_VAR, ORDER_VAR, PAGE_VAR, TO_FIELD_VAR, ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils.functional import cached_property

from recruitos.changes import Handler, Via

#: Below this many rows an exact count is cheap, and exactness wins.
ESTIMATE_ABOVE = 10_000
#: The admin list's query parameters that do not filter it.
NOT_FILTERS = {PAGE_VAR, ORDER_VAR, IS_POPUP_VAR, TO_FIELD_VAR, IS_FACETS_VAR}


class EstimatedCountPaginator(Paginator):
    """
    A paginator that does not count a whole large table on every page load: on PostgreSQL,
    an unfiltered list (`unfiltered`, from the request: no filter, no search) takes the
    planner's row estimate; filtered lists count exactly.
    """

    unfiltered = False

    @cached_property
    def count(self):
        if connection.vendor == "postgresql" and self.unfiltered and hasattr(self.object_list, "model"):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            if estimate > ESTIMATE_ABOVE:
                return estimate
        return super().count


class EdgeSafeChangeList(ChangeList):
    """
    The admin's list, where a date hierarchy link at the edge of the calendar (the year after
    9999, a year too large for a date) is an invalid filter the admin says it ignores, not a 500.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class EdgeSafeListMixin:
    def get_changelist(self, request, **kwargs):
        return EdgeSafeChangeList


class EstimatedCountMixin:
    """For a ModelAdmin whose `paginator` is EstimatedCountPaginator: it learns whether the list is filtered."""

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        paginator.unfiltered = set(request.GET).issubset(NOT_FILTERS)
        return paginator


def admin_log_forget(model, pks) -> None:
    """
    Erase what the admin's log ("Recent actions", `django_admin_log`) says about these rows: each
    entry's `object_repr`, the row as the admin showed it (a candidate's name and email), becomes
    "Candidate 12". The entries stay, so who changed what and when is still known. The services
    that erase people call it (delete, merge, anonymise, purge).
    """
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
    )
    entries.update(object_repr=Concat(Value(f"{model._meta.verbose_name.capitalize()} "), "object_id"))


class ForgetErasedInAdminLog(Handler):
    """The admin's log forgets how it showed each person whose data a change erases."""

    def stored(self, changes, rows) -> None:
        erased = defaultdict(list)
        for change in changes:
            if change.erase and change.entity.is_person():
                erased[change.model].append(change.instance.pk)
        for model, pks in erased.items():
            admin_log_forget(model, pks)


_panels: dict[type, list] = defaultdict(list)


def add_panel(model, panel) -> None:
    """
    Show `panel(obj)` (HTML, titled by `@admin.display(description=…)`) as a read-only field at
    the end of `model`'s change page in a ServiceModelAdmin; apps add theirs in `AppConfig.ready()`.
    """
    _panels[model].append(panel)


def _model_data(form, *, changed_only: bool) -> dict:
    """The cleaned values of the form's model fields (only the changed ones for an update)."""
    fields = {field.name for field in form._meta.model._meta.concrete_fields}
    names = form.changed_data if changed_only else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in fields}


class ServiceInline(admin.TabularInline):
    """An inline whose rows are written by services, named as on `ServiceModelAdmin`."""

    create_service = None
    update_service = None
    delete_service = None


class ServiceModelAdmin(EdgeSafeListMixin, EstimatedCountMixin, admin.ModelAdmin):
    """
    A ModelAdmin whose writes call services, and whose change pages show the panels other apps add.

    Subclasses set `create_service`, `update_service` and `delete_service` (wrapped in
    `staticmethod`), as on `recruitos.viewsets.ServiceModelViewSet`; so do their
    `ServiceInline`s.
    """

    create_service = None
    update_service = None
    delete_service = None
    # A URL typed without a scheme ("example.com/cv.pdf") is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            saved = self.update_service(
                instance=obj, data=_model_data(form, changed_only=True), actor=request.user, via=Via.ADMIN
            )
        else:
            saved = self.create_service(data=_model_data(form, changed_only=False), actor=request.user, via=Via.ADMIN)
        # The admin goes on using `obj` (log entry, inlines): give it the saved values.
        for field in saved._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, *_panels[self.model]] if obj is not None else fields

    def delete_model(self, request, obj):
        self.delete_service(instance=obj, actor=request.user, via=Via.ADMIN)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(instance=obj, actor=request.user, via=Via.ADMIN)

    def save_formset(self, request, form, formset, change):
        inline = next((i for i in self.get_inline_instances(request, form.instance) if i.model is formset.model), None)
        if not isinstance(inline, ServiceInline):
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row in formset.deleted_forms:
                if row.instance.pk is not None:
                    inline.delete_service(instance=row.instance, actor=request.user, via=Via.ADMIN)
                    formset.deleted_objects.append(row.instance)
            elif row.instance.pk is None and row.has_changed():
                created = inline.create_service(
                    data=_model_data(row, changed_only=False), actor=request.user, via=Via.ADMIN
                )
                formset.new_objects.append(created)
            elif row.instance.pk is not None and row.has_changed():
                inline.update_service(
                    instance=row.instance, data=_model_data(row, changed_only=True), actor=request.user, via=Via.ADMIN
                )
                formset.changed_objects.append((row.instance, row.changed_data))
        return None


class ReadOnlyModelAdmin(EdgeSafeListMixin, EstimatedCountMixin, admin.ModelAdmin):
    """An admin for records that only the application writes: browse, filter, search."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
