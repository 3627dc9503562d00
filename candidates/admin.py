"""Candidates in the back office."""

from django.contrib import admin

from candidates.models import Candidate
from candidates.services import candidate_create, candidate_delete, candidate_update
from recruitos.admin import ServiceModelAdmin


@admin.register(Candidate)
class CandidateAdmin(ServiceModelAdmin):
    """Candidates; every save and delete goes through the candidate services."""

    list_display = ["full_name", "email", "position", "phase", "status", "source", "applied_date"]
    list_filter = ["phase", "status", "source", "applied_date"]
    search_fields = ["first_name", "last_name", "email", "position"]
    readonly_fields = ["applied_date", "last_updated"]
    create_service = staticmethod(candidate_create)
    update_service = staticmethod(candidate_update)
    delete_service = staticmethod(candidate_delete)

    @admin.display(description="name", ordering="last_name")
    def full_name(self, candidate):
        return candidate.full_name
