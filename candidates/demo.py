"""
Deterministic demo data: realistic candidates with interviews around today, for trying the
frontend and for benchmarks. The same seed and size give the same people every time.

No one is double-booked: upcoming interviews start on the hour, and a diary of busy hours
(seeded with what the database already holds) sends each to a free interviewer, or cancels it
when that hour has none. The more candidates, the more interviewers, as in a real team.
"""

import datetime
import itertools
import math
import random
from collections.abc import Iterable, Iterator

from django.db.models import Max
from django.utils import timezone

from candidates import pipeline
from candidates.models import Candidate, Phase, Source, Status
from interviews.models import Interview, InterviewStatus, InterviewType, interviewer_key
from recruitos import changes
from recruitos.batches import rows_per_insert, rows_per_update
from recruitos.changes import Change, Reason

FIRST_NAMES = (
    "Sarah Michael John Emma Olivia Liam Noah Ava Mia Lucas Amelia James Sophia Ethan Isabella Mason Harper "
    "Logan Evelyn Elijah Abigail Oliver Emily Jacob Ella Aiden Chloe Carter Grace Daniel Zoe Henry Lily Jack "
    "Hannah Wyatt Nora Owen Riley Leo Layla Samuel Aria David Ellie Joseph Priya Wei Ahmed Yuki Carlos Fatima "
    "Ivan Ingrid Kofi Aisha Mateo Chen Anika Tomasz"
).split()
LAST_NAMES = (
    "Johnson Chen Smith Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez "
    "Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker "
    "Hall Rivera Campbell Mitchell Carter Roberts Patel Kim Nowak Okafor Suzuki Schmidt Rossi"
).split()
POSITIONS = [
    "Frontend Developer", "Backend Developer", "Full Stack Engineer", "DevOps Engineer", "Data Scientist",
    "Product Manager", "UX Designer", "QA Engineer", "Mobile Developer", "Engineering Manager",
    "Data Engineer", "Security Engineer",
]  # fmt: skip
SKILLS = [
    "React", "TypeScript", "CSS", "Python", "FastAPI", "PostgreSQL", "Django", "Go", "Kubernetes", "AWS",
    "Figma", "SQL", "Java", "Swift", "Kotlin", "Terraform",
]  # fmt: skip
NOTES = [None, "Strong portfolio", "Referred by team lead", "Needs visa sponsorship", "Great communicator"]
INTERVIEWERS = ["Jane Doe", "John Smith", "Alex Kim", "Maria Lopez", "Sam Patel", "Chris Lee"]
#: Then as many more as the size needs, one interviewer per this many candidates.
CANDIDATES_PER_INTERVIEWER = 50
PHASE_TWO = {Status.TECHNICAL_INTERVIEW, Status.FINAL_INTERVIEW, Status.OFFER_EXTENDED, Status.HIRED}
#: The stages a candidate passes on the way to being hired; Rejected can follow any but the last.
FORWARD = [s for s in Status if s != Status.REJECTED]


def seed_demo_data(
    *, candidates: int, interviews_per_candidate: int, seed: int, batch_size: int = 5000
) -> Iterator[int]:
    """
    Insert the data in batches, yielding the number of candidates written after each batch. Each
    person's made-up past and each interview's booking are stated as changes at their own times,
    so history and the feed hold them as they would had they happened; webhooks announce none of
    it (`Reason.SEEDED`: a body shows the object now, not then).
    """
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    first_number = (Candidate.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    interviewers = _interviewers(max(len(INTERVIEWERS), candidates // CANDIDATES_PER_INTERVIEWER))
    scheduled = Interview.objects.filter(status=InterviewStatus.SCHEDULED, ends_at__gt=now)
    diary = Diary(interviewers, scheduled.values_list("interviewer_key", "candidate_id", "scheduled_date", "ends_at"))
    for start in range(0, candidates, batch_size):
        numbers = range(first_number + start, first_number + min(start + batch_size, candidates))
        people = Candidate.objects.bulk_create(
            [_candidate(rng, number, now) for number in numbers], batch_size=rows_per_insert(Candidate)
        )
        booked = Interview.objects.bulk_create(
            (
                diary.booked(_interview(rng, person, now, interviewers))
                for person in people
                for _ in range(interviews_per_candidate)
            ),
            batch_size=rows_per_insert(Interview),
        )
        pasts = [change for person in people for change in pipeline_history(person)]
        facts = ["status_since", *pipeline.FACTS]
        Candidate.objects.bulk_update(people, facts, batch_size=rows_per_update(facts))
        bookings = [changes.created(i, at=_stated_at(i, now), reason=Reason.SEEDED) for i in booked]
        changes.record([*pasts, *bookings])
        yield len(people)


def _candidate(rng: random.Random, number: int, now: datetime.datetime) -> Candidate:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    status = rng.choice(Status.values)
    applied = now - datetime.timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
    return Candidate(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{number}@example.com".lower(),
        phone=f"+1 (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        position=rng.choice(POSITIONS),
        phase=Phase.TWO if status in PHASE_TWO else Phase.ONE,
        status=status,
        source=rng.choice(Source.values),
        applied_date=applied,
        last_updated=min(applied + datetime.timedelta(days=rng.randint(0, 30)), now),
        skills=", ".join(rng.sample(SKILLS, 3)),
        experience=rng.randint(0, 25),
        notes=rng.choice(NOTES),
        linkedin_url=f"https://www.linkedin.com/in/{first}-{last}-{number}".lower(),
    )


def pipeline_history(person: Candidate) -> list[Change]:
    """
    A made-up past for a demo candidate, as changes: created as New on the day they applied, then
    moved stage by stage to their status by `lastUpdated`, so that the pipeline report has times
    to show. Sets the candidate's `status_since` and pipeline facts (not saved) as those moves leave them.
    """
    rng = random.Random(person.pk)
    if person.status == Status.REJECTED:
        path = [*FORWARD[: rng.randint(1, 5)], Status.REJECTED]
    else:
        path = FORWARD[: FORWARD.index(person.status) + 1]
    span = person.last_updated - person.applied_date
    moments = sorted(person.applied_date + span * rng.random() for _ in path[1:])
    created = changes.created(person, at=person.applied_date, reason=Reason.SEEDED)
    created.fields.update(status=(None, Status.NEW.value), phase=(None, Phase.ONE.value))  # where they started
    past, entered_at = [created], person.applied_date
    for left, entered, at in zip(path[:-1], path[1:], moments, strict=True):
        fields = {"status": (left.value, entered.value)}
        if entered in PHASE_TWO and left not in PHASE_TWO:
            fields["phase"] = (Phase.ONE.value, Phase.TWO.value)
        move = Change(person, changes.Action.UPDATED, fields, at=at, entered=entered_at, reason=Reason.SEEDED)
        pipeline.moved(person, move)
        past.append(move)
        entered_at = at
    person.status_since = entered_at
    return past


def _stated_at(interview: Interview, now: datetime.datetime) -> datetime.datetime:
    """
    When a demo interview came to be as it is: a Scheduled one was booked a week before it, a
    Completed or Cancelled one became so when it ended (never before its candidate applied, nor after now).
    """
    if interview.status == InterviewStatus.SCHEDULED:
        moment = interview.scheduled_date - datetime.timedelta(days=7)
    else:
        moment = interview.computed_end()
    return max(interview.candidate.applied_date, min(moment, now))


def _interviewers(count: int) -> list[str]:
    """The six known names, then first and last names combined, `count` in all (at most every combination)."""
    more = (f"{first} {last}" for last, first in itertools.product(LAST_NAMES, FIRST_NAMES))
    names = dict.fromkeys(itertools.chain(INTERVIEWERS, more))
    return list(itertools.islice(names, count))


class Diary:
    """
    Busy hours of interviewers (by `interviewer_key`) and candidates, to book upcoming interviews
    into free ones.
    """

    def __init__(self, interviewers: list[str], scheduled: Iterable[tuple]):
        self.interviewers = interviewers
        self.position = {name: index for index, name in enumerate(interviewers)}
        self.busy = set()
        for key, candidate_id, start, end in scheduled:
            self._mark(key, candidate_id, self._hours(start, end))

    def booked(self, interview: Interview) -> Interview:
        """`interview` with the first free interviewer from its own on, or cancelled if none is free then."""
        if interview.status != InterviewStatus.SCHEDULED:
            return interview
        hours = self._hours(interview.scheduled_date, interview.computed_end())
        if any(("c", interview.candidate_id, hour) in self.busy for hour in hours):
            interview.status = InterviewStatus.CANCELLED
            return interview
        first = self.position[interview.interviewer]
        for name in itertools.chain(self.interviewers[first:], self.interviewers[:first]):
            key = interviewer_key(name)
            if not any(("i", key, hour) in self.busy for hour in hours):
                interview.interviewer = name
                self._mark(key, interview.candidate_id, hours)
                return interview
        interview.status = InterviewStatus.CANCELLED
        return interview

    def _mark(self, key: str, candidate_id: int, hours: range) -> None:
        for hour in hours:
            self.busy.update({("i", key, hour), ("c", candidate_id, hour)})

    @staticmethod
    def _hours(start: datetime.datetime, end: datetime.datetime) -> range:
        """The hours (whole hours since the epoch) that [start, end) touches."""
        return range(math.floor(start.timestamp() / 3600), math.ceil(end.timestamp() / 3600))


def _interview(rng: random.Random, candidate: Candidate, now: datetime.datetime, interviewers: list[str]) -> Interview:
    nine_today = now.replace(hour=9, minute=0, second=0)
    when = nine_today + datetime.timedelta(days=rng.randint(-45, 15), hours=rng.randint(0, 8))
    if when > now:
        status = InterviewStatus.SCHEDULED
    else:
        status = rng.choice([InterviewStatus.COMPLETED, InterviewStatus.CANCELLED])
    return Interview(
        candidate=candidate,
        type=rng.choice(InterviewType.values),
        scheduled_date=when,
        duration=rng.choice([30, 45, 60, 90]),
        interviewer=rng.choice(interviewers),
        status=status,
        notes=rng.choice([None, "Initial screening", "System design"]),
        rating=rng.randint(1, 5) if status == InterviewStatus.COMPLETED else None,
    )
