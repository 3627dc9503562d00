"""
Writes to candidates: the one implementation the API, the admin and the commands call.

Each write states what it changed (`recruitos.changes`) in its own transaction; history, the
activity feed and webhook deliveries follow from that statement. `via` names the interface the
change came through (commands are the default).
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from candidates import pipeline
from candidates.models import CANDIDATE_FIELDS, Candidate, Status
from interviews.clashes import merge_clash_error
from interviews.models import Interview
from recruitos import changes, entities
from recruitos.batches import rows_per_update
from recruitos.changes import Action, Change, Reason, Via
from recruitos.services import apply_changes, lock_for_update, violated_constraint
from recruitos.sql import bulk_insert

EMAIL_CONSTRAINT = "candidate_email_unique_ci"
EMAIL_TAKEN = "A candidate with this email already exists."


def candidate_create(*, data: dict, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """Store a new candidate and what its creation means (feed entry, history record): one statement on PostgreSQL."""
    now = timezone.now()
    candidate = Candidate(**{"applied_date": now, "last_updated": now, "status_since": now, **data})
    with _email_taken_is_invalid():
        changes.create(candidate, changes.created(candidate, actor=actor, via=via, at=now))
    return candidate


@transaction.atomic
def candidate_update(*, instance: Candidate, data: dict, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """Write the fields of `data` that change; `lastUpdated` moves only when something does."""
    candidate = lock_for_update(instance)
    entered = candidate.status_since
    before = apply_changes(candidate, data)
    if not before:
        return candidate
    now = timezone.now()
    if "last_updated" not in data:
        candidate.last_updated = now
    change = changes.updated(candidate, before, actor=actor, via=via, at=now, entered=entered)
    fields = [*before, "last_updated"]
    if "status" in before:
        candidate.status_since = now
        fields += ["status_since", *pipeline.moved(candidate, change)]
    _save(candidate, update_fields=fields)
    if "applied_date" in before:
        _applied_dates_moved([candidate])
    changes.record([change])  # the feed's entries, the history record, deliveries: one statement on PostgreSQL
    return candidate


@transaction.atomic
def candidate_delete(*, instance: Candidate, actor=None, via: Via = Via.COMMAND) -> None:
    """
    Delete a candidate and their interviews; DoesNotExist if someone else got there first.

    The row is locked first, so a concurrent update (which adds activity linked to the
    candidate) finishes before the delete gathers what to unlink, or finds the row gone.
    The deletion erases the person: their name leaves the feed, their personal values history
    and webhook deliveries; the facts that something happened stay.
    """
    candidate = lock_for_update(instance)
    changes.record(_deletions([candidate], actor=actor, via=via, at=timezone.now()))
    _delete([candidate.pk])


#: What anonymising writes in the place of a person's required values; the optional ones are emptied.
ANONYMOUS = {"first_name": "Anonymized", "last_name": "Candidate", "email": "anonymized-{pk}@anonymized.invalid"}
#: What a merge copies from a duplicate where the kept candidate has nothing: the optional fields.
MERGE_FILLS = [
    name for name in CANDIDATE_FIELDS.names(read_only=False) if Candidate._meta.get_field(name).null
]  # fmt: skip


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicates: list[Candidate], actor=None, via: Via = Via.COMMAND) -> Candidate:
    """
    Fold duplicate records into `keep`: their interviews and activity move to it, its empty
    fields are filled from them (first duplicate first), and they are deleted. A Conflict (and
    nothing written) when their Scheduled interviews overlap: one person cannot attend both.
    """
    ids = [duplicate.pk for duplicate in duplicates]
    if keep.pk in ids:
        raise ValidationError("A candidate cannot be merged into itself.")
    locked = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[keep.pk, *ids]).order_by("pk")}
    if len(locked) != len({keep.pk, *ids}):
        raise Candidate.DoesNotExist
    target, sources = locked[keep.pk], [locked[pk] for pk in ids]
    fills = {field: _first_value(sources, field) for field in MERGE_FILLS if getattr(target, field) in (None, "")}
    filled = apply_changes(target, {field: value for field, value in fills.items() if value is not None})
    if conflict := merge_clash_error(Interview.objects.filter(candidate_id__in=[target.pk, *ids]), target.full_name):
        raise conflict
    now = timezone.now()
    facts = {"actor": actor, "via": via, "at": now, "reason": Reason.MERGED}
    moved = list(Interview.objects.filter(candidate_id__in=ids).order_by("pk"))
    Interview.objects.filter(pk__in=[interview.pk for interview in moved]).update(
        candidate=target, candidate_applied_date=target.applied_date
    )
    moves = []
    for interview in moved:
        before, interview.candidate = interview.candidate_id, target
        moves.append(changes.updated(interview, {"candidate": before}, **facts))
    target.last_updated = now
    target.save()
    merged = changes.updated(target, filled, count=len(ids), **facts)
    changes.record([*moves, *_deletions(sources, **facts), merged])
    _delete(ids)
    return target


@transaction.atomic
def candidate_anonymize(*, instance: Candidate, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """
    Erase a candidate's personal data everywhere (GDPR): name, email, contact details and
    notes, their interviews' notes, and their name in the feed. The record stays, so the
    dashboard's counts do not change.
    """
    candidate = lock_for_update(instance)
    personal = sorted(entities.of(Candidate).personal)
    values = {name: ANONYMOUS[name].format(pk=candidate.pk) if name in ANONYMOUS else None for name in personal}
    erased = apply_changes(candidate, values)
    now = timezone.now()
    candidate.last_updated = now
    candidate.save()
    facts = {"actor": actor, "via": via, "at": now, "reason": Reason.ANONYMIZED, "erase": True}
    interview_values = dict.fromkeys(entities.of(Interview).personal)
    with_notes = list(Interview.objects.filter(candidate=candidate).exclude(**interview_values).order_by("pk"))
    Interview.objects.filter(pk__in=[interview.pk for interview in with_notes]).update(**interview_values)
    changes.record(
        [
            changes.updated(candidate, erased, **facts),
            *(
                changes.updated(interview, apply_changes(interview, interview_values), **facts)
                for interview in with_notes
            ),
        ]
    )
    return candidate


def candidates_purge(*, queryset, actor=None, via: Via = Via.COMMAND, batch_size: int = 1000) -> int:
    """
    Delete the candidates of `queryset` (retention), with their interviews, a batch per
    transaction, erasing each person as a deletion does; one summary says how many went.
    """
    purged = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            locked = list(Candidate.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            at = timezone.now()
            changes.record(_deletions(locked, actor=actor, via=via, at=at, reason=Reason.PURGED))
            _delete([candidate.pk for candidate in locked])
            purged += len(locked)
    if purged:
        with transaction.atomic():
            changes.record(
                [
                    Change(
                        None, Action.DELETED, model=Candidate, reason=Reason.PURGED, count=purged, actor=actor, via=via
                    )
                ]
            )
    return purged


def _deletions(candidates: list[Candidate], *, reason: Reason | None = None, **facts) -> list[Change]:
    """The deletion of locked candidates and of their interviews, each erasing the person."""
    interviews = Interview.objects.filter(candidate_id__in=[candidate.pk for candidate in candidates]).order_by("pk")
    return [
        *(changes.deleted(candidate, reason=reason, erase=True, **facts) for candidate in candidates),
        *(changes.deleted(interview, reason=Reason.WITH_CANDIDATE, erase=True, **facts) for interview in interviews),
    ]


def _delete(ids: list[int]) -> None:
    Candidate.objects.filter(pk__in=ids).delete()


def _first_value(candidates: list[Candidate], field: str):
    return next((value for c in candidates if (value := getattr(c, field)) not in (None, "")), None)


#: Fields the services set from others: never copied from an import's row.
DERIVED = {"status_since", *pipeline.FACTS}


def _applied_dates_moved(candidates: list[Candidate]) -> None:
    """The interviews of candidates whose appliedDate moved take the stored date (the pipeline report's), one UPDATE."""
    if candidates:
        applied = Candidate.objects.filter(pk=OuterRef("candidate_id")).values("applied_date")
        Interview.objects.filter(candidate__in=candidates).update(candidate_applied_date=Subquery(applied))


def _save(candidate: Candidate, **kwargs) -> None:
    """Save, turning a lost race on the email constraint into a validation error on `email`."""
    with _email_taken_is_invalid():
        candidate.save(**kwargs)


@contextmanager
def _email_taken_is_invalid():
    """
    Turn a write's lost race on the email constraint into a validation error on `email`.

    Callers are atomic services or single statements: the error leaves their transaction
    (or savepoint, when nested), which rolls back, so no savepoint of its own is needed here.
    """
    try:
        yield
    except IntegrityError as exc:
        if violated_constraint(exc) == EMAIL_CONSTRAINT:
            raise ValidationError({"email": EMAIL_TAKEN}) from exc
        raise


@dataclass
class BulkWritten:
    """What became of a bulk write's new candidates: created, or (after a lost race) updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def candidate_bulk_write(
    *, new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, dict]], actor=None
) -> BulkWritten:
    """
    Write a batch of validated candidates from an import, in one transaction, with what each
    change means (via import).

    Each entry pairs a candidate with the fields its row gave (for `changed`: {field: value
    before} of the fields that changed). New candidates keep an `id` given in the file when it
    is free. If another writer takes one of the batch's emails meanwhile, the batch is written
    again row by row, updating the candidate that now holds the email with the row's fields
    instead of failing.
    """
    candidates = [candidate for candidate, _ in new]
    for candidate in candidates:  # a file's New candidate entered New when they applied; other stages, unknown
        candidate.status_since = candidate.applied_date if candidate.status == Status.NEW else None
    now = timezone.now()
    updates = []
    for candidate, before in changed:
        change = changes.updated(candidate, before, actor=actor, via=Via.IMPORT, at=now, entered=candidate.status_since)
        if "status" in before:  # a move starts the new stage; as changed fields, _bulk_update writes them
            before["status_since"], candidate.status_since = candidate.status_since, now
            before.update((fact, None) for fact in pipeline.moved(candidate, change))
        updates.append(change)
    try:
        with transaction.atomic():
            _keep_free_ids(candidates)
            ids_from_file = any(candidate.pk is not None for candidate in candidates)
            bulk_insert(candidates)
            _bulk_update(changed)
            _applied_dates_moved([candidate for candidate, before in changed if "applied_date" in before])
            if ids_from_file:
                _reset_id_sequence()
            created = [changes.created(candidate, actor=actor, via=Via.IMPORT, at=now) for candidate in candidates]
            changes.record([*created, *updates])
    except IntegrityError:
        for candidate in candidates:  # The rolled-back insert may have handed out ids.
            candidate.pk = None
        return _write_one_by_one(new, changed, actor)
    return BulkWritten(created=len(candidates))


def _keep_free_ids(new: list[Candidate]) -> None:
    wanted = [candidate.pk for candidate in new if candidate.pk is not None]
    taken = set(Candidate.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    seen = set()
    for candidate in new:
        if candidate.pk in taken or candidate.pk in seen:
            candidate.pk = None
        seen.add(candidate.pk)


def _bulk_update(changed: list[tuple[Candidate, dict]]) -> None:
    """Update each group of candidates that changed the same fields, writing only those fields."""
    groups: dict[frozenset, list[Candidate]] = {}
    for candidate, fields in changed:
        groups.setdefault(frozenset(fields), []).append(candidate)
    for fields, candidates in groups.items():
        Candidate.objects.bulk_update(candidates, sorted(fields), batch_size=min(500, rows_per_update(fields)))


def _reset_id_sequence() -> None:
    """After inserting ids from a file, move PostgreSQL's id sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Candidate]):
            cursor.execute(statement)


def _write_one_by_one(new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, dict]], actor) -> BulkWritten:
    """The slow path after a lost race: each row in its own transaction, an insert turning into an update."""
    written = BulkWritten()
    for candidate, before in changed:
        with transaction.atomic():
            _update_fields(Candidate.objects.select_for_update().get(pk=candidate.pk), candidate, before, actor)
    for candidate, given in new:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    candidate.save(force_insert=True)
            except IntegrityError:
                holder = Candidate.objects.with_email(candidate.email).select_for_update().first()
                if holder is None:
                    raise
                if _update_fields(holder, candidate, given - {"id", "email"}, actor):
                    written.updated += 1
                else:
                    written.unchanged += 1
            else:
                changes.record([changes.created(candidate, actor=actor, via=Via.IMPORT)])
                written.created += 1
    return written


def _update_fields(stored: Candidate, source: Candidate, fields, actor) -> bool:
    """
    Write the `fields` of `source` that differ to the `stored` candidate (locked), with what the
    change means; `lastUpdated` moves only when something does (unless the row gives it). Whether any did.
    """
    values = {name: getattr(source, name) for name in fields if name not in DERIVED}
    entered = stored.status_since
    before = apply_changes(stored, values)
    if not before:
        return False
    if "last_updated" not in values:
        before["last_updated"], stored.last_updated = stored.last_updated, timezone.now()
        values["last_updated"] = stored.last_updated
    change = changes.updated(stored, before, actor=actor, via=Via.IMPORT, entered=entered)
    if "status" in before:
        stored.status_since = change.at
        values.update({name: getattr(stored, name) for name in ["status_since", *pipeline.moved(stored, change)]})
    Candidate.objects.filter(pk=stored.pk).update(**values)
    if "applied_date" in before:
        _applied_dates_moved([stored])
    changes.record([change])
    return True
