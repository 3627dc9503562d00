"""
The pipeline report: how candidates who applied in a window moved through the stages.

Stage facts come from each candidate's own row (`candidates.pipeline`: the statuses left, the
days spent in each, the first move to Hired, folded in from the history record of each move as
it is written) and from their current status, which counts as reached even when the moves to it
predate the history. Three queries, whatever the window's size; on PostgreSQL the first two read
the candidates' newest-first index alone and the third the interviews' index by appliedDate.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone

from candidates.models import Candidate, Source, Status
from candidates.pipeline import DAYS_IN, STAGE_BITS, statuses
from interviews.models import Interview, InterviewStatus
from reports.aggregates import Percentile

#: The stages on the way to a hire, in the pipeline's order; Rejected leaves it from any of them.
FORWARD = [status for status in Status if status != Status.REJECTED]
RANK = {status: rank for rank, status in enumerate(FORWARD)}
HIRED_RANK = RANK[Status.HIRED]
DAY = datetime.timedelta(days=1)
PERCENTILES = {"median": 0.5, "p90": 0.9}


@dataclass(frozen=True)
class Window:
    """Who applied from `start` to `end` (days in TIME_ZONE, both included), optionally for one position or source."""

    start: datetime.date
    end: datetime.date
    position: str | None = None
    source: str | None = None

    @property
    def since(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), timezone.get_current_timezone())

    @property
    def until(self) -> datetime.datetime:
        return datetime.datetime.combine(self.end + DAY, datetime.time(), timezone.get_current_timezone())

    def candidates(self):
        candidates = Candidate.objects.filter(applied_date__gte=self.since, applied_date__lt=self.until)
        if self.position:
            candidates = candidates.filter(position__iexact=self.position)
        if self.source:
            candidates = candidates.filter(source=self.source)
        return candidates.order_by()

    def interviews(self):
        """The interviews of `candidates()`, by the appliedDate each keeps (joined to them only for a filter)."""
        interviews = Interview.objects.filter(
            candidate_applied_date__gte=self.since, candidate_applied_date__lt=self.until
        )
        if self.position:
            interviews = interviews.filter(candidate__position__iexact=self.position)
        if self.source:
            interviews = interviews.filter(candidate__source=self.source)
        return interviews.order_by()

    def query(self) -> dict:
        """The window as the report's query and its header: {"from", "to", "position", "source"}."""
        return {"from": self.start, "to": self.end, "position": self.position, "source": self.source}


def pipeline_report(window: Window) -> dict:
    """The report's tables: funnel, time in stage, time to hire, sources, interviewers."""
    with _one_snapshot():
        reached, rejected, left, applicants, hires = _reached(window)
        days = _days_in_stage(window)
        interviewers = _interviewers(window)
    return {
        "applicants": sum(applicants.values()),
        "funnel": _funnel(reached, rejected),
        "time_in_stage": [
            {"status": status.value, "left": left[status], **days[status]} for status in Status if status in DAYS_IN
        ],
        "time_to_hire": {**days[Status.HIRED], "hired": reached[HIRED_RANK]},
        "sources": [
            {
                "source": source,
                "applicants": applicants[source],
                "hires": hires[source],
                "hire_rate": _share(hires[source], applicants[source]),
            }
            for source in Source.values
        ],
        "interviewers": interviewers,
    }


@contextmanager
def _one_snapshot():
    """
    The report's queries in one read-only transaction; on PostgreSQL all three see one snapshot
    (REPEATABLE READ, when the transaction is the report's own), sort in up to REPORT_WORK_MEM,
    are planned for their own values and are not JIT-compiled.
    """
    own = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if own:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.REPORT_WORK_MEM])
                # Planned for their own values each time: a prepared statement's generic plan (from
                # its sixth run on a connection) took 2 s instead of 0.7 for a source's report.
                cursor.execute("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
                # JIT spent 34 ms compiling the interviewers' query at a million, for nothing back.
                cursor.execute("SELECT set_config('jit', 'off', true)")
        yield


def _reached(window: Window):
    """
    Per forward stage, how many candidates got at least that far (their furthest stage left or
    now); how many were ever rejected; per status, how many left it; per source, applicants and
    hires. One query: the window's candidates counted per source, status and statuses left.
    """
    groups = window.candidates().values_list("source", "status", "stages_left").annotate(count=Count("*"))
    reached, rejected, left = [0] * len(FORWARD), 0, dict.fromkeys(Status, 0)
    applicants, hires = dict.fromkeys(Source.values, 0), dict.fromkeys(Source.values, 0)
    for source, status, stages_left, count in groups:
        been = statuses(stages_left, status)
        furthest = max(RANK.get(stage, 0) for stage in been)
        for rank in range(furthest + 1):
            reached[rank] += count
        rejected += count if Status.REJECTED in been else 0
        for stage in Status:
            left[stage] += count if stages_left & STAGE_BITS[stage] else 0
        applicants[source] += count
        hires[source] += count if furthest >= HIRED_RANK else 0
    return reached, rejected, left, applicants, hires


def _funnel(reached: list[int], rejected: int) -> list[dict]:
    """Each stage in pipeline order: how many reached it, and what share of the stage before did (Rejected: of all)."""
    funnel, previous = [], None
    for status in Status:
        if status == Status.REJECTED:
            funnel.append({"status": status.value, "reached": rejected, "share": _share(rejected, reached[0])})
            continue
        count = reached[RANK[status]]
        funnel.append({"status": status.value, "reached": count, "share": _share(count, previous)})
        previous = count
    return funnel


def _days_in_stage(window: Window) -> dict:
    """
    Per status (Hired aside), the median and 90th percentile of the days candidates spent there,
    over those whose time is known; for Hired, the same of the days from applying to the first
    move to Hired, and how many hires that measures. One query.
    """
    took = ExpressionWrapper(F("hired_at") - F("applied_date"), output_field=DurationField())
    found = window.candidates().aggregate(
        **{
            f"{column}_{name}": Percentile(column, fraction)
            for column in DAYS_IN.values()
            for name, fraction in PERCENTILES.items()
        },
        **{
            f"hire_{name}": Percentile(took, fraction, output_field=DurationField())
            for name, fraction in PERCENTILES.items()
        },
        measured=Count("hired_at"),
    )
    days = {
        status: {"median_days": _round(found[f"{column}_median"]), "p90_days": _round(found[f"{column}_p90"])}
        for status, column in DAYS_IN.items()
    }
    days[Status.HIRED] = {
        "median_days": _days(found["hire_median"]),
        "p90_days": _days(found["hire_p90"]),
        "measured": found["measured"],
    }
    return days


def _interviewers(window: Window) -> list[dict]:
    """
    Per interviewer (spellings of one name together, shown as first booked): interviews,
    completed, average rating; busiest first.
    """
    first_name = Interview.objects.filter(interviewer_key=OuterRef("interviewer_key")).order_by(
        "interviewer_key",
        "scheduled_date",  # interview_interviewer_day's order
    )
    rows = (
        window.interviews()
        .values("interviewer_key")
        .annotate(
            interviews=Count("*"),
            completed=Count("status", filter=Q(status=InterviewStatus.COMPLETED)),
            average_rating=Avg("rating"),
        )
        .annotate(name=Subquery(first_name.values("interviewer")[:1]))
        .order_by("-interviews", "name")
    )
    return [
        {
            "interviewer": row["name"],
            "interviews": row["interviews"],
            "completed": row["completed"],
            "average_rating": _round(row["average_rating"]),
        }
        for row in rows
    ]


def _share(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration / DAY, 2)
