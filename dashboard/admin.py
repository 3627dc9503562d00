"""The activity feed and sync runs in the back office, read-only."""

from django.contrib import admin

from dashboard.models import EVENT_TYPES, Activity, ActivityType, SyncRun
from recruitos.admin import ReadOnlyModelAdmin


class ActivityTypeFilter(admin.SimpleListFilter):
    """The feed's `type` (candidate, interview, sync), which groups the events."""

    title = "type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return ActivityType.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(event__in=[event for event, kind in EVENT_TYPES.items() if kind == self.value()])


@admin.register(Activity)
class ActivityAdmin(ReadOnlyModelAdmin):
    """Every recorded change, who made it, and what it is about while that exists."""

    list_display = ["timestamp", "event", "action", "actor", "candidate", "interview"]
    list_filter = [ActivityTypeFilter, "event", "timestamp"]
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
