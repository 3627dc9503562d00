"""
Writes to candidates: the one implementation the API, the admin and the commands call.

Each write, the activity it records and its history records share one transaction. `via`
names the interface the change came through (`history.models.Via`); commands are the default.
"""

from contextlib import contextmanager, nullcontext

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from candidates import pipeline
from candidates.models import Candidate, Status
from dashboard.models import ActivityEvent
from dashboard.services import activity_for, activity_forget_candidates, activity_reassign, activity_record
from history import services as history
from history.models import Via
from interviews.clashes import merge_clash_error
from interviews.models import Interview
from recruitos.admin import admin_log_forget
from recruitos.services import apply_changes, lock_for_update, violated_constraint
from recruitos.sql import insert_rows, insert_together
from webhooks import outbox
from webhooks.models import EventType

EMAIL_CONSTRAINT = "candidate_email_unique_ci"
EMAIL_TAKEN = "A candidate with this email already exists."


def candidate_create(*, data: dict, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """Store a new candidate, its "applied" entry and its history record together (one statement on PostgreSQL)."""
    now = timezone.now()
    candidate = Candidate(**{"applied_date": now, "last_updated": now, "status_since": now, **data})
    applied = activity_for(event=ActivityEvent.APPLIED, candidate=candidate, detail=candidate.position, actor=actor)
    record = history.created(candidate, actor=actor, via=via, at=now)
    subscriptions = outbox.active_subscriptions()
    # Alone, the insert is one statement; with a webhook to write after it (it needs the id), a transaction.
    subscribed = outbox.wanted(EventType.CANDIDATE_CREATED, subscriptions)
    with transaction.atomic() if subscribed else nullcontext():
        with _email_taken_is_invalid():
            insert_together(
                candidate, [(applied, ["candidate"]), (record, ["object_id", "candidate"])], savepoint=not subscribed
            )
        if subscribed:
            outbox.emit([outbox.Event(EventType.CANDIDATE_CREATED, candidate)], subscriptions)
    return candidate


@transaction.atomic
def candidate_update(*, instance: Candidate, data: dict, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """Write the fields of `data` that change; `lastUpdated` moves only when something does."""
    candidate = lock_for_update(instance)
    entered = candidate.status_since
    changed = apply_changes(candidate, data)
    if not changed:
        return candidate
    now = timezone.now()
    if "last_updated" not in data:
        candidate.last_updated = now
    record = history.updated(candidate, changed, actor=actor, via=via, entered=entered, at=now)
    fields = [*changed, "last_updated"]
    if "status" in changed:
        candidate.status_since = now
        fields += ["status_since", *pipeline.moved(candidate, record)]
    _save(candidate, update_fields=fields)
    if "applied_date" in changed:
        _applied_dates_moved([candidate])
    deliveries = outbox.deliveries(outbox.candidate_changes(candidate, changed))
    # The feed's entries, the history record and the webhook deliveries: one statement on PostgreSQL.
    insert_rows([*_pipeline_moves(candidate, changed, actor), *([record] if record else []), *deliveries])
    outbox.queue_after_commit(deliveries)
    return candidate


@transaction.atomic
def candidate_delete(*, instance: Candidate, actor=None, via: Via = Via.COMMAND) -> None:
    """
    Delete a candidate and their interviews; DoesNotExist if someone else got there first.

    The row is locked first, so a concurrent update (which adds activity linked to the
    candidate) finishes before the delete gathers what to unlink, or finds the row gone.
    Their name leaves the activity feed with them (`dashboard.models.forget_candidate`);
    the deletion stays in it, nameless, and their history stays with their personal values erased.
    """
    candidate = lock_for_update(instance)
    _erase_and_delete([candidate], actor=actor, via=via)
    activity_record(event=ActivityEvent.DELETED, actor=actor)


#: Fields a merge copies from a duplicate when the kept candidate has none.
MERGE_FILLS = ["phone", "skills", "experience", "notes", "resume_url", "linkedin_url"]
#: What anonymising erases; position, pipeline state, source and dates stay for the statistics.
ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME = "Anonymized", "Candidate"
ERASED_FIELDS = ["phone", "notes", "resume_url", "linkedin_url"]


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
    if conflict := merge_clash_error([target.pk, *ids], target.full_name):
        raise conflict
    moved = list(Interview.objects.filter(candidate_id__in=ids).order_by("pk"))
    Interview.objects.filter(pk__in=[interview.pk for interview in moved]).update(
        candidate=target, candidate_applied_date=target.applied_date
    )
    history.history_reassign(from_candidate_ids=ids, to=target)
    history.history_save(_moved_to(moved, target, actor=actor, via=via))
    activity_reassign(from_candidate_ids=ids, to=target)
    _erase_and_delete(sources, actor=actor, via=via)
    target.last_updated = timezone.now()
    target.save()
    history.history_save([history.updated(target, filled, actor=actor, via=via)])
    outbox.emit([outbox.Event(EventType.CANDIDATE_UPDATED, target)])
    activity_record(event=ActivityEvent.MERGED, candidate=target, count=len(ids), actor=actor)
    return target


@transaction.atomic
def candidate_anonymize(*, instance: Candidate, actor=None, via: Via = Via.COMMAND) -> Candidate:
    """
    Erase a candidate's personal data everywhere (GDPR): name, email, contact details and
    notes, their interviews' notes, and their name in the feed. The record stays, so the
    dashboard's counts do not change.
    """
    candidate = lock_for_update(instance)
    erased = apply_changes(
        candidate,
        {
            "first_name": ANONYMOUS_FIRST_NAME,
            "last_name": ANONYMOUS_LAST_NAME,
            "email": f"anonymized-{candidate.pk}@anonymized.invalid",
            **dict.fromkeys(ERASED_FIELDS),
        },
    )
    candidate.last_updated = timezone.now()
    candidate.save()
    with_notes = list(Interview.objects.filter(candidate=candidate, notes__isnull=False).order_by("pk"))
    Interview.objects.filter(pk__in=[interview.pk for interview in with_notes]).update(notes=None)
    history.history_save(
        [
            history.updated(candidate, erased, actor=actor, via=via),
            *(history.updated(interview, {"notes": None}, actor=actor, via=via) for interview in with_notes),
        ]
    )
    history.history_erase(candidate_ids=[candidate.pk])
    outbox.erase(candidate_ids=[candidate.pk])
    outbox.emit([outbox.Event(EventType.CANDIDATE_ANONYMIZED, candidate)])
    activity_forget_candidates(candidate_ids=[candidate.pk])
    admin_log_forget(Candidate, [candidate.pk])
    activity_record(event=ActivityEvent.ANONYMIZED, actor=actor)
    return candidate


def candidates_purge(*, queryset, actor=None, via: Via = Via.COMMAND, batch_size: int = 1000) -> int:
    """
    Delete the candidates of `queryset` (retention), with their interviews, their names in the
    feed and their personal values in history, a batch per transaction; one feed entry says how
    many went.
    """
    purged = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            locked = list(Candidate.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            _erase_and_delete(locked, actor=actor, via=via)
            purged += len(locked)
    if purged:
        activity_record(event=ActivityEvent.PURGED, count=purged, actor=actor)
    return purged


def _erase_and_delete(candidates: list[Candidate], *, actor, via: Via) -> None:
    """
    Delete locked candidates with their interviews, recording each deletion; then erase their
    personal values from history and the admin's log.
    """
    ids = [candidate.pk for candidate in candidates]
    interviews = Interview.objects.filter(candidate_id__in=ids).order_by("pk")
    history.history_save(
        [
            *(history.deleted(candidate, actor=actor, via=via, erase=True) for candidate in candidates),
            *(history.deleted(interview, actor=actor, via=via, erase=True) for interview in interviews),
        ]
    )
    outbox.emit([outbox.Event(EventType.CANDIDATE_DELETED, candidate) for candidate in candidates])
    Candidate.objects.filter(pk__in=ids).delete()
    history.history_erase(candidate_ids=ids)
    outbox.erase(candidate_ids=ids)
    admin_log_forget(Candidate, ids)


def _moved_to(interviews: list[Interview], target: Candidate, *, actor, via: Via):
    """The records of interviews that a merge moved to `target`."""
    for interview in interviews:
        before, interview.candidate = interview.candidate_id, target
        yield history.updated(interview, {"candidate": before}, actor=actor, via=via)


def _first_value(candidates: list[Candidate], field: str):
    return next((value for c in candidates if (value := getattr(c, field)) not in (None, "")), None)


def _pipeline_moves(candidate: Candidate, changed: dict, actor) -> list:
    """The feed's entries (not yet saved): a status change ("moved to Screened", or "hired as …"), a phase change."""
    entries = []
    if "status" in changed:
        if candidate.status == Status.HIRED:
            event, detail = ActivityEvent.HIRED, candidate.position
        else:
            event, detail = ActivityEvent.STATUS_CHANGED, candidate.status
        entries.append(activity_for(event=event, candidate=candidate, detail=detail, actor=actor))
    if "phase" in changed:
        entries.append(
            activity_for(
                event=ActivityEvent.PHASE_CHANGED, candidate=candidate, detail=str(candidate.phase), actor=actor
            )
        )
    return entries


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


def candidate_bulk_write(
    *, new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, dict]], actor=None
) -> None:
    """
    Write a batch of validated candidates from an import, in one transaction, with their
    history records (via import).

    Each entry pairs a candidate with the fields its row gave (for `changed`: {field: value
    before} of the fields that changed). New candidates keep an `id` given in the file when it
    is free. If another writer takes one of the batch's emails meanwhile, the batch is written
    again row by row, updating the candidate that now holds the email with the row's fields
    instead of failing. Imports record one sync entry in the feed (`sync_run_finish`), not one
    entry per row.
    """
    candidates = [candidate for candidate, _ in new]
    for candidate in candidates:  # a file's New candidate entered New when they applied; other stages, unknown
        candidate.status_since = candidate.applied_date if candidate.status == Status.NEW else None
    updates = []
    for candidate, before in changed:
        record = history.updated(candidate, before, actor=actor, via=Via.IMPORT, entered=candidate.status_since)
        if "status" in before:  # a move starts the new stage; as changed fields, _bulk_update writes them
            before["status_since"], candidate.status_since = candidate.status_since, record.at
            before.update((fact, None) for fact in pipeline.moved(candidate, record))
        updates.append(record)
    try:
        with transaction.atomic():
            _keep_free_ids(candidates)
            ids_from_file = any(candidate.pk is not None for candidate in candidates)
            Candidate.objects.bulk_create(candidates)
            _bulk_update(changed)
            _applied_dates_moved([candidate for candidate, before in changed if "applied_date" in before])
            if ids_from_file:
                _reset_id_sequence()
            history.history_save(
                [*(history.created(candidate, actor=actor, via=Via.IMPORT) for candidate in candidates), *updates]
            )
            outbox.emit(
                [
                    *(outbox.Event(EventType.CANDIDATE_CREATED, candidate) for candidate in candidates),
                    *(event for candidate, before in changed for event in outbox.candidate_changes(candidate, before)),
                ]
            )
    except IntegrityError:
        for candidate in candidates:  # The rolled-back insert may have handed out ids.
            candidate.pk, candidate._state.adding = None, True
        _write_one_by_one(new, changed, actor)


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
        Candidate.objects.bulk_update(candidates, sorted(fields), batch_size=500)


def _reset_id_sequence() -> None:
    """After inserting ids from a file, move PostgreSQL's id sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Candidate]):
            cursor.execute(statement)


def _write_one_by_one(new: list[tuple[Candidate, set]], changed: list[tuple[Candidate, dict]], actor) -> None:
    """The slow path after a lost race: each row in its own transaction, an insert turning into an update."""
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
                _update_fields(holder, candidate, given - {"id", "email"} | {"last_updated"}, actor)
            else:
                history.history_save([history.created(candidate, actor=actor, via=Via.IMPORT)])
                outbox.emit([outbox.Event(EventType.CANDIDATE_CREATED, candidate)])


def _update_fields(stored: Candidate, source: Candidate, fields, actor) -> None:
    """Write the `fields` of `source` to the `stored` candidate (locked), with its history record."""
    values = {name: getattr(source, name) for name in fields if name not in DERIVED}
    entered = stored.status_since
    before = apply_changes(stored, values)
    record = history.updated(stored, before, actor=actor, via=Via.IMPORT, entered=entered)
    if "status" in before:
        stored.status_since = record.at
        values.update({name: getattr(stored, name) for name in ["status_since", *pipeline.moved(stored, record)]})
    Candidate.objects.filter(pk=stored.pk).update(**values)
    if "applied_date" in before:
        _applied_dates_moved([stored])
    history.history_save([record])
    if before:
        outbox.emit(outbox.candidate_changes(stored, before))
