"""Interviews in the back office."""

from django.contrib import admin

from interviews.models import Interview
from interviews.services import interview_create, interview_delete, interview_update
from recruitos.admin import ServiceModelAdmin


@admin.register(Interview)
class InterviewAdmin(ServiceModelAdmin):
    """Interviews; every save and delete goes through the interview services."""

    list_display = ["candidate", "type", "scheduled_date", "duration", "interviewer", "status", "rating"]
    list_filter = ["type", "status", "interviewer"]
    list_select_related = ["candidate"]
    date_hierarchy = "scheduled_date"
    raw_id_fields = ["candidate"]
    create_service = staticmethod(interview_create)
    update_service = staticmethod(interview_update)
    delete_service = staticmethod(interview_delete)
