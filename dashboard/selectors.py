"""
Reads for the dashboard.

`dashboard_stats` answers in one SQL query whatever the table sizes: conditional sums over
the candidate tally (on PostgreSQL; conditional counts over candidates elsewhere), with the
other figures as uncorrelated subqueries beside them.
"""

from django.db.models import Count, DateTimeField, Func, IntegerField, Max, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import Candidate, CandidateTally, Phase, Status
from candidates.selectors import tally_is_kept
from dashboard.models import Activity, SyncRun, SyncStatus
from interviews.models import Interview, InterviewStatus
from interviews.selectors import today_bounds


def _count(queryset) -> Subquery:
    # COUNT(*), not COUNT(id): the count can then come from an index alone (interview_day_status).
    return Subquery(
        queryset.order_by().values(n=Func(template="COUNT(*)", output_field=IntegerField())),
        output_field=IntegerField(),
    )


def _first(queryset, field: str, output_field=None) -> Subquery:
    return Subquery(queryset.values(field)[:1], output_field=output_field)


#: The figures of the contract's DashboardStats read from the query as they are.
STATS = ["total_candidates", "phase1_count", "phase2_count", "hired_count", "interviews_today", "sync_status"]


def _candidate_totals():
    """Where the candidate counts come from: the tally's few rows when kept, else the candidates."""
    if tally_is_kept():
        return CandidateTally.objects, lambda condition=None: Coalesce(Sum("count", filter=condition), 0)
    return Candidate.objects, lambda condition=None: Count("pk", filter=condition)


def dashboard_stats() -> dict:
    """The contract's DashboardStats, from one query (two where nothing was ever synced or recorded)."""
    start, end = today_bounds()
    interviews_today = Interview.objects.filter(scheduled_date__gte=start, scheduled_date__lt=end).exclude(
        status=InterviewStatus.CANCELLED
    )
    latest_run = SyncRun.objects.order_by("-started_at", "-id").annotate(time=Coalesce("finished_at", "started_at"))
    rows, total = _candidate_totals()
    # Grouped by a constant, which is no grouping: one row of sums beside uncorrelated subqueries
    # (each alone: an expression over them would be grouped by, and give no row for no rows).
    [row] = (
        rows.order_by()
        .values(_=Value(1))
        .annotate(
            total_candidates=total(),
            phase1_count=total(Q(phase=Phase.ONE)),
            phase2_count=total(Q(phase=Phase.TWO)),
            hired_count=total(Q(status=Status.HIRED)),
            interviews_today=_count(interviews_today),
            sync_status=_first(latest_run, "status"),
            sync_time=_first(latest_run, "time", DateTimeField()),
            newest_change=_first(Activity.objects.order_by("-timestamp", "-id"), "timestamp", DateTimeField()),
        )
        .values(*STATS, "sync_time", "newest_change")
    )
    newest_change = row.pop("newest_change")
    if row["sync_status"] is None:  # never synced: as of the newest change (rows written around the services too)
        newest_change = newest_change or Candidate.objects.aggregate(newest=Max("last_updated"))["newest"]
        row["sync_status"], row["sync_time"] = SyncStatus.SYNCED, newest_change or timezone.now()
    row["last_sync"] = row.pop("sync_time")
    return row
