"""Interviews in the back office."""

from django.contrib import admin

from interviews.models import Interview, InterviewStatus
from interviews.services import interview_create, interview_delete, interview_update
from recruitos.admin import EstimatedCountPaginator, ServiceModelAdmin
from recruitos.changes import Via


@admin.register(Interview)
class InterviewAdmin(ServiceModelAdmin):
    """Interviews; every save, action and delete goes through the interview services."""

    list_display = ["candidate", "type", "scheduled_date", "duration", "interviewer", "status", "rating"]
    list_filter = ["type", "status", "interviewer"]
    list_select_related = ["candidate"]
    search_fields = ["interviewer", "candidate__first_name", "candidate__last_name", "candidate__email"]
    date_hierarchy = "scheduled_date"
    ordering = ["-scheduled_date", "-id"]
    autocomplete_fields = ["candidate"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["mark_completed", "mark_cancelled"]
    create_service = staticmethod(interview_create)
    update_service = staticmethod(interview_update)
    delete_service = staticmethod(interview_delete)

    @admin.action(description="Mark selected interviews as completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, InterviewStatus.COMPLETED)

    @admin.action(description="Mark selected interviews as cancelled", permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._set_status(request, queryset, InterviewStatus.CANCELLED)

    def _set_status(self, request, queryset, status):
        for interview in queryset.select_related("candidate"):
            interview_update(instance=interview, data={"status": status}, actor=request.user, via=Via.ADMIN)
        self.message_user(request, f"{len(queryset)} interviews marked {status.label.lower()}.")
