"""
Reads for the dashboard.

`dashboard_stats` answers in one SQL query whatever the table sizes: conditional sums over
the candidate tally (on PostgreSQL; conditional counts over candidates elsewhere), with
the other figures as scalar subqueries beside them.
"""

from django.db.models import Count, DateTimeField, Func, IntegerField, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import Candidate, CandidateTally, Phase, Status
from candidates.selectors import tally_is_kept
from dashboard.models import Activity, SyncRun, SyncStatus
from interviews.models import Interview, InterviewStatus
from interviews.selectors import today_bounds


class ScalarSubquery(Subquery):
    """
    An uncorrelated subquery that yields one value.

    It is the same on every row, so it may stand beside aggregates in `aggregate()`,
    which otherwise accepts only aggregate expressions.
    """

    contains_aggregate = True


def _count(queryset) -> ScalarSubquery:
    # COUNT(*), not COUNT(id): the count can then come from an index alone (interview_day_status).
    return ScalarSubquery(
        queryset.order_by().values(n=Func(template="COUNT(*)", output_field=IntegerField())),
        output_field=IntegerField(),
    )


def _first(queryset, field: str, output_field=None) -> ScalarSubquery:
    return ScalarSubquery(queryset.values(field)[:1], output_field=output_field)


def _candidate_totals():
    """Where the candidate counts come from: the tally's few rows when kept, else the candidates."""
    if tally_is_kept():
        return CandidateTally.objects, lambda condition=None: Coalesce(Sum("count", filter=condition), 0)
    return Candidate.objects, lambda condition=None: Count("pk", filter=condition)


def dashboard_stats() -> dict:
    """The contract's DashboardStats, from one query."""
    start, end = today_bounds()
    interviews_today = Interview.objects.filter(scheduled_date__gte=start, scheduled_date__lt=end).exclude(
        status=InterviewStatus.CANCELLED
    )
    latest_run = SyncRun.objects.order_by("-started_at", "-id").annotate(time=Coalesce("finished_at", "started_at"))
    newest_change = Coalesce(
        _first(Activity.objects.order_by("-timestamp", "-id"), "timestamp", DateTimeField()),
        _first(Candidate.objects.order_by("-last_updated"), "last_updated", DateTimeField()),
    )
    rows, total = _candidate_totals()
    row = rows.aggregate(
        total_candidates=total(),
        phase1_count=total(Q(phase=Phase.ONE)),
        phase2_count=total(Q(phase=Phase.TWO)),
        hired_count=total(Q(status=Status.HIRED)),
        interviews_today=_count(interviews_today),
        sync_status=_first(latest_run, "status"),
        sync_time=_first(latest_run, "time", DateTimeField()),
        newest_change=newest_change,
    )
    newest_change = row.pop("newest_change")
    if row["sync_status"] is None:
        row["sync_status"], row["sync_time"] = SyncStatus.SYNCED, newest_change or timezone.now()
    row["last_sync"] = row.pop("sync_time")
    return row
