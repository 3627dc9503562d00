"""
The pipeline report: how candidates who applied in a window moved through the stages.

Stage facts come from the field history (`history.models.HistoryRecord`: the status each
record entered, the status it left and how long the candidate was in it), and from each
candidate's current status, which counts as reached even when the moves to it predate the
history. Four queries, whatever the window's size: the funnel and the sources share one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from candidates.models import Candidate, Source, Status
from history.models import Action, HistoryRecord
from interviews.models import Interview, InterviewStatus
from reports.aggregates import Percentile

#: The stages on the way to a hire, in the pipeline's order; Rejected leaves it from any of them.
FORWARD = [status for status in Status if status != Status.REJECTED]
RANK = {status: rank for rank, status in enumerate(FORWARD)}
HIRED_RANK = RANK[Status.HIRED]
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Who applied from `start` to `end` (days in TIME_ZONE, both included), optionally for one position or source."""

    start: datetime.date
    end: datetime.date
    position: str | None = None
    source: str | None = None

    def candidates(self):
        zone = timezone.get_current_timezone()
        since = datetime.datetime.combine(self.start, datetime.time(), zone)
        until = datetime.datetime.combine(self.end + DAY, datetime.time(), zone)
        candidates = Candidate.objects.filter(applied_date__gte=since, applied_date__lt=until)
        if self.position:
            candidates = candidates.filter(position__iexact=self.position)
        if self.source:
            candidates = candidates.filter(source=self.source)
        return candidates.order_by()

    def query(self) -> dict:
        """The window as the report's query and its header: {"from", "to", "position", "source"}."""
        return {"from": self.start, "to": self.end, "position": self.position, "source": self.source}


def pipeline_report(window: Window) -> dict:
    """The report's tables: funnel, time in stage, time to hire, sources, interviewers."""
    reached, rejected, applicants, hires = _reached(window)
    return {
        "applicants": sum(applicants.values()),
        "funnel": _funnel(reached, rejected),
        "time_in_stage": _time_in_stage(window),
        "time_to_hire": {**_time_to_hire(window), "hired": reached[HIRED_RANK]},
        "sources": [
            {
                "source": source,
                "applicants": applicants[source],
                "hires": hires[source],
                "hire_rate": _share(hires[source], applicants[source]),
            }
            for source in Source.values
        ],
        "interviewers": _interviewers(window),
    }


def _reached(window: Window):
    """
    Per forward stage, how many candidates got at least that far (their furthest stage on record
    or now); how many were ever rejected; per source, applicants and hires. One query.
    """
    moves = FilteredRelation("history_records", condition=Q(history_records__status__isnull=False))
    furthest_moved = Max(_rank("moves__status"))
    per_candidate = (
        window.candidates()
        .alias(moves=moves)
        .annotate(
            furthest=Greatest(Coalesce(furthest_moved, Value(0)), _rank("status")),
            was_rejected=Max(
                Case(When(Q(moves__status=Status.REJECTED) | Q(status=Status.REJECTED), then=1), default=0)
            ),
        )
    )
    counts = per_candidate.aggregate(
        rejected=Count("pk", filter=Q(was_rejected=1)),
        **{f"reached_{rank}": Count("pk", filter=Q(furthest__gte=rank)) for rank in RANK.values()},
        **{f"applicants_{source}": Count("pk", filter=Q(source=source)) for source in Source.values},
        **{
            f"hires_{source}": Count("pk", filter=Q(source=source, furthest__gte=HIRED_RANK))
            for source in Source.values
        },
    )
    reached = [counts[f"reached_{rank}"] for rank in RANK.values()]
    applicants = {source: counts[f"applicants_{source}"] for source in Source.values}
    hires = {source: counts[f"hires_{source}"] for source in Source.values}
    return reached, counts["rejected"], applicants, hires


def _rank(field: str):
    """A status's place among the forward stages (Rejected: 0, as everyone was New)."""
    return Case(
        *(When(**{field: status}, then=Value(rank)) for status, rank in RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


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


def _time_in_stage(window: Window) -> list[dict]:
    """Per stage: how many left it, and the median and 90th percentile of the days spent there (where known)."""
    stays = (
        HistoryRecord.objects.filter(candidate__in=window.candidates(), left_status__isnull=False)
        .values("left_status")
        .annotate(
            left=Count("pk"),
            median=Percentile("time_in_left_status", 0.5, output_field=DurationField()),
            p90=Percentile("time_in_left_status", 0.9, output_field=DurationField()),
        )
        .order_by()
    )
    found = {row["left_status"]: row for row in stays}
    empty = {"left": 0, "median": None, "p90": None}
    return [
        {
            "status": status.value,
            "left": found.get(status, empty)["left"],
            "median_days": _days(found.get(status, empty)["median"]),
            "p90_days": _days(found.get(status, empty)["p90"]),
        }
        for status in Status
        if status != Status.HIRED
    ]


def _time_to_hire(window: Window) -> dict:
    """Days from applying to the first move to Hired, for hires whose move is on record."""
    earlier = HistoryRecord.objects.filter(
        candidate_id=OuterRef("candidate_id"), status=Status.HIRED, at__lt=OuterRef("at")
    )
    first_hires = HistoryRecord.objects.filter(
        candidate__in=window.candidates(), status=Status.HIRED, action=Action.UPDATED
    ).exclude(Exists(earlier))
    took = F("at") - F("candidate__applied_date")
    found = first_hires.aggregate(
        measured=Count("pk"),
        median=Percentile(took, 0.5, output_field=DurationField()),
        p90=Percentile(took, 0.9, output_field=DurationField()),
    )
    return {"median_days": _days(found["median"]), "p90_days": _days(found["p90"]), "measured": found["measured"]}


def _interviewers(window: Window) -> list[dict]:
    """Per interviewer (spellings of one name together): interviews, completed, average rating; busiest first."""
    rows = (
        Interview.objects.filter(candidate__in=window.candidates())
        .values("interviewer_key")
        .annotate(
            name=Min("interviewer"),
            interviews=Count("pk"),
            completed=Count("pk", filter=Q(status=InterviewStatus.COMPLETED)),
            average_rating=Avg("rating"),
        )
        .order_by("-interviews", "name")
    )
    return [
        {
            "interviewer": row["name"],
            "interviews": row["interviews"],
            "completed": row["completed"],
            "average_rating": None if row["average_rating"] is None else round(row["average_rating"], 2),
        }
        for row in rows
    ]


def _share(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


def _days(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 2)
