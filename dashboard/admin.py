"""The activity feed and sync runs in the back office, read-only."""

from django.contrib import admin

from dashboard.models import Activity, SyncRun
from recruitos.admin import ReadOnlyModelAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyModelAdmin):
    """Every recorded change, who made it, and what it is about while that exists."""

    list_display = ["timestamp", "event", "action", "actor", "candidate", "interview"]
    list_filter = ["event", "timestamp"]
    list_select_related = ["actor", "candidate", "interview"]
    search_fields = ["candidate_name", "interviewer", "detail"]
    date_hierarchy = "timestamp"


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyModelAdmin):
    """Each data sync: source, status, timing and counts."""

    list_display = ["started_at", "source", "status", "finished_at", "created_count", "updated_count", "failed_count"]
    list_filter = ["status", "started_at"]
    search_fields = ["source", "error"]
    date_hierarchy = "started_at"
