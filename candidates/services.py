"""
Writes to candidates: the one implementation the API, the admin and the commands call.

Each write and the activity it records share one transaction.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from candidates.models import Candidate, Status
from dashboard.models import ActivityEvent
from dashboard.services import activity_for, activity_forget_candidates, activity_reassign, activity_record
from interviews.clashes import merge_clash_error
from interviews.models import Interview
from recruitos.admin import admin_log_forget
from recruitos.services import apply_changes, lock_for_update, violated_constraint
from recruitos.sql import insert_together

EMAIL_CONSTRAINT = "candidate_email_unique_ci"
EMAIL_TAKEN = "A candidate with this email already exists."


def candidate_create(*, data: dict, actor=None) -> Candidate:
    """Store a new candidate and its "applied" entry together (one statement on PostgreSQL)."""
    now = timezone.now()
    candidate = Candidate(**{"applied_date": now, "last_updated": now, **data})
    applied = activity_for(event=ActivityEvent.APPLIED, candidate=candidate, detail=candidate.position, actor=actor)
    with _email_taken_is_invalid():
        insert_together(candidate, applied, "candidate")
    return candidate


@transaction.atomic
def candidate_update(*, instance: Candidate, data: dict, actor=None) -> Candidate:
    """Write the fields of `data` that change; `lastUpdated` moves only when something does."""
    candidate = lock_for_update(instance)
    changed = apply_changes(candidate, data)
    if not changed:
        return candidate
    if "last_updated" not in data:
        candidate.last_updated = timezone.now()
    _save(candidate, update_fields=[*changed, "last_updated"])
    _record_pipeline_moves(candidate, changed, actor)
    return candidate


@transaction.atomic
def candidate_delete(*, instance: Candidate, actor=None) -> None:
    """
    Delete a candidate and their interviews; DoesNotExist if someone else got there first.

    The row is locked first, so a concurrent update (which adds activity linked to the
    candidate) finishes before the delete gathers what to unlink, or finds the row gone.
    Their name leaves the activity feed with them (`dashboard.models.forget_candidate`);
    the deletion stays in it, nameless.
    """
    candidate = lock_for_update(instance)
    admin_log_forget(Candidate, [candidate.pk])
    candidate.delete()
    activity_record(event=ActivityEvent.DELETED, actor=actor)


#: Fields a merge copies from a duplicate when the kept candidate has none.
MERGE_FILLS = ["phone", "skills", "experience", "notes", "resume_url", "linkedin_url"]
#: What anonymising erases; position, pipeline state, source and dates stay for the statistics.
ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME = "Anonymized", "Candidate"
ERASED_FIELDS = ["phone", "notes", "resume_url", "linkedin_url"]


@transaction.atomic
def candidate_merge(*, keep: Candidate, duplicates: list[Candidate], actor=None) -> Candidate:
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
    apply_changes(target, {field: value for field, value in fills.items() if value is not None})
    if conflict := merge_clash_error([target.pk, *ids], target.full_name):
        raise conflict
    Interview.objects.filter(candidate_id__in=ids).update(candidate=target)
    activity_reassign(from_candidate_ids=ids, to=target)
    Candidate.objects.filter(pk__in=ids).delete()
    admin_log_forget(Candidate, ids)
    target.last_updated = timezone.now()
    target.save()
    activity_record(event=ActivityEvent.MERGED, candidate=target, count=len(ids), actor=actor)
    return target


@transaction.atomic
def candidate_anonymize(*, instance: Candidate, actor=None) -> Candidate:
    """
    Erase a candidate's personal data everywhere (GDPR): name, email, contact details and
    notes, their interviews' notes, and their name in the feed. The record stays, so the
    dashboard's counts do not change.
    """
    candidate = lock_for_update(instance)
    candidate.first_name, candidate.last_name = ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME
    candidate.email = f"anonymized-{candidate.pk}@anonymized.invalid"
    for field in ERASED_FIELDS:
        setattr(candidate, field, None)
    candidate.last_updated = timezone.now()
    candidate.save()
    Interview.objects.filter(candidate=candidate).update(notes=None)
    activity_forget_candidates(candidate_ids=[candidate.pk])
    admin_log_forget(Candidate, [candidate.pk])
    activity_record(event=ActivityEvent.ANONYMIZED, actor=actor)
    return candidate


def candidates_purge(*, queryset, actor=None, batch_size: int = 1000) -> int:
    """
    Delete the candidates of `queryset` (retention), with their interviews and their names
    in the feed, a batch per transaction; one feed entry says how many went.
    """
    purged = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            locked = list(
                Candidate.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
            )
            purged += Candidate.objects.filter(pk__in=locked).delete()[1].get(Candidate._meta.label, 0)
            admin_log_forget(Candidate, locked)
    if purged:
        activity_record(event=ActivityEvent.PURGED, count=purged, actor=actor)
    return purged


def _first_value(candidates: list[Candidate], field: str):
    return next((value for c in candidates if (value := getattr(c, field)) not in (None, "")), None)


def _record_pipeline_moves(candidate: Candidate, changed: dict, actor) -> None:
    """A status change ("moved to Screened", or "hired as …") and a phase change each get an entry."""
    if "status" in changed:
        if candidate.status == Status.HIRED:
            event, detail = ActivityEvent.HIRED, candidate.position
        else:
            event, detail = ActivityEvent.STATUS_CHANGED, candidate.status
        activity_record(event=event, candidate=candidate, detail=detail, actor=actor)
    if "phase" in changed:
        activity_record(
            event=ActivityEvent.PHASE_CHANGED, candidate=candidate, detail=str(candidate.phase), actor=actor
        )


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


def candidate_bulk_write(*, new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, set]]) -> None:
    """
    Write a batch of validated candidates from an import, in one transaction.

    Each entry pairs a candidate with the fields its row gave (for `changed`: the fields
    that changed). New candidates keep an `id` given in the file when it is free. If
    another writer takes one of the batch's emails meanwhile, the batch is written again
    row by row, updating the candidate that now holds the email with the row's fields
    instead of failing. Imports record one sync entry in the feed (`sync_run_finish`),
    not one entry per row.
    """
    candidates = [candidate for candidate, _ in new]
    try:
        with transaction.atomic():
            _keep_free_ids(candidates)
            ids_from_file = any(candidate.pk is not None for candidate in candidates)
            Candidate.objects.bulk_create(candidates)
            _bulk_update(changed)
            if ids_from_file:
                _reset_id_sequence()
    except IntegrityError:
        for candidate in candidates:  # The rolled-back insert may have handed out ids.
            candidate.pk, candidate._state.adding = None, True
        _write_one_by_one(new, changed)


def _keep_free_ids(new: list[Candidate]) -> None:
    wanted = [candidate.pk for candidate in new if candidate.pk is not None]
    taken = set(Candidate.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    seen = set()
    for candidate in new:
        if candidate.pk in taken or candidate.pk in seen:
            candidate.pk = None
        seen.add(candidate.pk)


def _bulk_update(changed: list[tuple[Candidate, set]]) -> None:
    """Update each group of candidates that changed the same fields, writing only those fields."""
    groups: dict[frozenset, list[Candidate]] = {}
    for candidate, fields in changed:
        groups.setdefault(frozenset(fields), []).append(candidate)
    for fields, candidates in groups.items():
        Candidate.objects.bulk_update(candidates, sorted(fields), batch_size=500)


def _reset_id_sequence() -> None:
    """After inserting ids from a file, move PostgreSQL's id sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Candidate]):
            cursor.execute(statement)


def _write_one_by_one(new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, set]]) -> None:
    """The slow path after a lost race: each row in its own savepoint, an insert turning into an update."""
    for candidate, fields in changed:
        _update_fields(candidate.pk, candidate, fields)
    for candidate, given in new:
        try:
            with transaction.atomic():
                candidate.save(force_insert=True)
        except IntegrityError:
            holder = Candidate.objects.with_email(candidate.email).first()
            if holder is None:
                raise
            _update_fields(holder.pk, candidate, given - {"id", "email"} | {"last_updated"})


def _update_fields(pk: int, source: Candidate, fields: set) -> None:
    Candidate.objects.filter(pk=pk).update(**{name: getattr(source, name) for name in fields})
