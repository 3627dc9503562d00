"""
What changed, stated once.

A write service describes each change it makes as a `Change`: the object, the action, the fields
from → to, who, through what, when (and, for the few writes that mean more, why: a merge, an
erasure). Whatever is kept about changes is derived from that statement by `Handler`s that the
apps keeping it register in their `AppConfig.ready()` (history records, the activity feed, webhook
deliveries); the service never names them. The event types a change means come from its entity's
one rule (`recruitos.entities.Entity.events`).

`record(changes)` stores what every handler derives, in the change's own transaction, as one
statement on PostgreSQL for a few rows; `create(instance, change)` inserts a new object together
with it, one statement where no handler needs the new id first.
"""

import datetime
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from recruitos import entities
from recruitos.sql import bulk_insert, can_insert_together, insert_rows, insert_together

#: Up to this many derived rows are stored in one statement; more go in batches per model.
ONE_STATEMENT = 100


class Via(models.TextChoices):
    """The interface a change came through."""

    API = "api", "API"
    ADMIN = "admin", "Admin"
    COMMAND = "command", "Command"
    IMPORT = "import", "Import"


class Action(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted"


class Reason(models.TextChoices):
    """Why a change was made, where it is part of something larger."""

    ANONYMIZED = "anonymized", "The person's data was erased"
    MERGED = "merged", "Duplicates were merged"
    PURGED = "purged", "The retention policy"
    WITH_CANDIDATE = "with_candidate", "Deleted with its candidate"
    SEEDED = "seeded", "Demo data, back-dated"


@dataclass(eq=False)
class Change:
    """
    One change of one object (`instance`: as it is after the change, as it was for a deletion),
    or a summary of many (`instance` None: `model` and `count` say of what).

    `fields` holds {column: (from, to)}. `erase`: the change erases a person's data, so what is
    kept of it holds none and what was kept before is erased too. `entered`: when the object
    entered the status it leaves (a candidate's time in a stage).
    """

    instance: models.Model | None
    action: Action
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    actor: Any = None
    via: Via = Via.COMMAND
    at: datetime.datetime = field(default_factory=timezone.now)
    reason: Reason | None = None
    erase: bool = False
    entered: datetime.datetime | None = None
    count: int | None = None
    model: type[models.Model] | None = None

    def __post_init__(self):
        if not getattr(self.actor, "is_authenticated", False):
            self.actor = None  # the system (a command, an import without a user)
        if self.model is None:
            self.model = type(self.instance)

    @cached_property
    def entity(self) -> entities.Entity:
        return entities.of(self.model)

    @cached_property
    def events(self) -> tuple[str, ...]:
        """The event types this change means, by its entity's rule."""
        return tuple(self.entity.events(self))

    @cached_property
    def api_form(self) -> dict:
        """The object as the API shows it now (its entity's serializer), for what needs more than its fields."""
        return self.entity.serializer(self.instance).data

    @property
    def person(self) -> int | None:
        """The candidate whose data the object holds."""
        return None if self.instance is None else self.entity.person(self.instance)

    def moved(self, column: str) -> bool:
        """Whether this is an update that changed `column`."""
        return self.action == Action.UPDATED and column in self.fields


def created(instance, **facts) -> Change:
    """A new object: every declared field, from nothing to its value."""
    columns = entities.of(type(instance)).columns.values()
    return Change(instance, Action.CREATED, {column: (None, getattr(instance, column)) for column in columns}, **facts)


def updated(instance, before: dict, **facts) -> Change:
    """A change of `instance` from `before` ({field name: value before}, as `apply_changes` gives it)."""
    meta = instance._meta
    columns = (meta.get_field(name).attname for name in before)
    return Change(
        instance,
        Action.UPDATED,
        {column: (old, getattr(instance, column)) for column, old in zip(columns, before.values(), strict=True)},
        **facts,
    )


def deleted(instance, **facts) -> Change:
    """An object deleted: every declared field, from its last value to nothing."""
    columns = entities.of(type(instance)).columns.values()
    return Change(instance, Action.DELETED, {column: (getattr(instance, column), None) for column in columns}, **facts)


class Handler:
    """
    Something kept about changes. `rows(changes)` gives new rows (unsaved), each with the fields
    that point at its change's object (`links`, set when the object is inserted with them);
    `stored(changes, rows)` runs once they are stored, in the caller's transaction (every service
    that changes existing rows runs in one): for updates to rows kept earlier (an erasure, an
    interview that moved) and work for after the commit.
    """

    #: Its rows are built from the saved object (they need a new object's id).
    needs_ids = False

    def wants(self, change: "Change") -> bool:
        """Whether it keeps anything of a new object's `change` (for one that `needs_ids`: must `create` wait)."""
        return True

    def rows(self, changes: list[Change]) -> list[tuple[models.Model, tuple[str, ...]]]:
        return []

    def stored(self, changes: list[Change], rows: list[models.Model]) -> None:
        return None


_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    """Keep `handler` for every change from now on (apps do it in `AppConfig.ready()`)."""
    _handlers.append(handler)
    return handler


def record(changes: list[Change], *, only=None) -> None:
    """
    Store what the handlers (or `only` these) derive from `changes` (their objects saved), inside
    the caller's transaction; a few rows are one statement on PostgreSQL.
    """
    if not changes:
        return
    derived = [(handler, handler.rows(changes)) for handler in (_handlers if only is None else only)]
    store([row for _, rows in derived for row, _ in rows])
    for handler, rows in derived:
        handler.stored(changes, [row for row, _ in rows])


def create(instance: models.Model, change: Change, *, savepoint: bool = True) -> None:
    """
    Insert the new `instance` and what the handlers derive from its `change`: one statement on
    PostgreSQL (`recruitos.sql.insert_together`) unless a handler needs the new id first, then a
    transaction of two. `savepoint`: inside a caller's transaction, whether a failed insert leaves
    it usable (a taken email); a caller that rolls back on any failure passes False.
    """
    wanting = [handler for handler in _handlers if not handler.needs_ids or handler.wants(change)]
    later = [handler for handler in wanting if handler.needs_ids]
    if not can_insert_together(instance):
        with transaction.atomic(savepoint=savepoint):
            instance.save(force_insert=True)
            record([change], only=wanting)
        return
    now = [(handler, handler.rows([change])) for handler in wanting if not handler.needs_ids]
    with transaction.atomic(savepoint=savepoint) if later else nullcontext():
        insert_together(instance, [pair for _, pairs in now for pair in pairs], savepoint=savepoint and not later)
        for handler, pairs in now:
            handler.stored([change], [row for row, _ in pairs])
        record([change], only=later)


def store(rows: list[models.Model]) -> None:
    """New rows of any models: one statement for a few (PostgreSQL), batches per model for many."""
    if len(rows) <= ONE_STATEMENT:
        insert_rows(rows)
        return
    by_model = defaultdict(list)
    for row in rows:
        by_model[type(row)].append(row)
    for same in by_model.values():
        bulk_insert(same)
