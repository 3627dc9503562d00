"""Candidates in the back office: the list, the page with its interviews, bulk actions, export."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import StreamingHttpResponse
from django.utils import timezone

from candidates.exports import csv_lines
from candidates.models import Candidate, Phase, Status
from candidates.services import (
    candidate_anonymize,
    candidate_create,
    candidate_delete,
    candidate_merge,
    candidate_update,
)
from interviews.clashes import rows_clash_error
from interviews.models import Interview
from interviews.services import interview_create, interview_delete, interview_update
from recruitos.admin import EstimatedCountPaginator, ServiceInline, ServiceModelAdmin
from recruitos.changes import Via


class InterviewInlineFormSet(BaseInlineFormSet):
    """
    One candidate's interviews. Each row is checked against the stored interviews as it is
    validated; two new or moved rows must not overlap each other either.
    """

    def clean(self):
        super().clean()
        rows = [
            form.instance for form in self.forms if form.cleaned_data and not form.cleaned_data.get(DELETION_FIELD_NAME)
        ]
        if error := rows_clash_error(rows):
            raise error


class InterviewInline(ServiceInline):
    """The candidate's interviews, editable on the candidate's page."""

    model = Interview
    formset = InterviewInlineFormSet
    extra = 0
    fields = ["type", "scheduled_date", "duration", "interviewer", "status", "rating", "notes"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    create_service = staticmethod(interview_create)
    update_service = staticmethod(interview_update)
    delete_service = staticmethod(interview_delete)


@admin.register(Candidate)
class CandidateAdmin(ServiceModelAdmin):
    """Candidates; every save, inline edit, action and delete goes through the services."""

    list_display = [
        "full_name", "email", "position", "phase", "status", "source", "applied_date", "interview_count",
    ]  # fmt: skip
    list_filter = ["phase", "status", "source", "applied_date"]
    search_fields = ["first_name", "last_name", "email", "position"]
    search_help_text = "Part of the name, email or position, as the API's search."
    readonly_fields = ["applied_date", "last_updated"]
    ordering = ["-applied_date", "-id"]
    inlines = [InterviewInline]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["move_to_phase_two", "mark_as_hired", "reject", "export_csv", "merge_into_oldest", "anonymize"]
    create_service = staticmethod(candidate_create)
    update_service = staticmethod(candidate_update)
    delete_service = staticmethod(candidate_delete)

    def get_queryset(self, request):
        interviews = (
            Interview.objects.filter(candidate=OuterRef("pk")).order_by().values("candidate").annotate(n=Count("pk"))
        )
        return super().get_queryset(request).annotate(interview_count=Subquery(interviews.values("n")[:1]))

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    @admin.display(description="name", ordering="last_name")
    def full_name(self, candidate):
        return candidate.full_name

    @admin.display(description="interviews")
    def interview_count(self, candidate):
        return candidate.interview_count or 0

    @admin.action(description="Move selected candidates to phase 2", permissions=["change"])
    def move_to_phase_two(self, request, queryset):
        self._update_each(request, queryset, {"phase": Phase.TWO}, "moved to phase 2")

    @admin.action(description="Mark selected candidates as hired", permissions=["change"])
    def mark_as_hired(self, request, queryset):
        self._update_each(request, queryset, {"phase": Phase.TWO, "status": Status.HIRED}, "marked as hired")

    @admin.action(description="Reject selected candidates", permissions=["change"])
    def reject(self, request, queryset):
        self._update_each(request, queryset, {"status": Status.REJECTED}, "rejected")

    @admin.action(description="Export selected candidates to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(csv_lines(queryset.order_by("-applied_date", "-id")), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="candidates-{timezone.localdate()}.csv"'
        return response

    @admin.action(description="Merge selected candidates into the one who applied first", permissions=["delete"])
    def merge_into_oldest(self, request, queryset):
        keep, *duplicates = queryset.order_by("applied_date", "pk")
        if not duplicates:
            self.message_user(request, "Select at least two candidates to merge.", messages.WARNING)
            return
        try:
            merged = candidate_merge(keep=keep, duplicates=duplicates, actor=request.user, via=Via.ADMIN)
        except ValidationError as error:
            self.message_user(request, f"Not merged: {' '.join(error.messages)}", messages.ERROR)
            return
        self.message_user(request, f"Merged {len(duplicates)} duplicates into {merged.full_name} (#{merged.pk}).")

    @admin.action(description="Anonymize selected candidates (erase personal data)", permissions=["change"])
    def anonymize(self, request, queryset):
        for candidate in queryset:
            candidate_anonymize(instance=candidate, actor=request.user, via=Via.ADMIN)
        self.message_user(request, f"Anonymized {len(queryset)} candidates.")

    def _update_each(self, request, queryset, data, done):
        failed = []
        for candidate in queryset:
            try:
                candidate_update(instance=candidate, data=data, actor=request.user, via=Via.ADMIN)
            except ValidationError:
                failed.append(candidate.full_name)
        self.message_user(request, f"{len(queryset) - len(failed)} candidates {done}.")
        if failed:
            self.message_user(request, f"Not changed: {', '.join(failed)}.", messages.ERROR)
