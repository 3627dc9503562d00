"""
The entities the API serves (a candidate, an interview, an import job): for each, one declared
list of its fields, and what a change of it means.

`Fields` is the list: each `Field` says its API name, the model field behind it, whether it holds
a person's data (erased with them) and whether history records its changes. The serializer's
fields, the list's columns, history, the import and export columns, webhook payloads and erasure
are all derived from it, so a field is added in one place.

The domain and feature apps that own an entity `register` it in their `AppConfig.ready()`, with
its rule (`events`: the event types a change of it means) and its serializer (its API form);
the apps that keep something about changes (history, the feed, webhooks) read it here and never
import the owner's serializers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db import models

from recruitos.naming import camel_name


@dataclass(frozen=True)
class Field:
    """One field as the API has it: `name` on the wire (camelCased), `source` on the model."""

    name: str
    source: str | None = None  # the model field, where its name differs (an interview's `candidate`)
    personal: bool = False  # a person's data: erased with them, nulled in what history and webhooks keep
    recorded: bool = True  # history records its changes
    read_only: bool = False  # the server sets it; files may still carry it (import)

    @property
    def api_name(self) -> str:
        return camel_name(self.name)


class Fields(tuple):
    """An entity's declared fields, in the API's order."""

    def names(self, *, read_only: bool | None = None) -> list[str]:
        """The fields' names (all, or only those that are or are not read-only)."""
        return [field.name for field in self if read_only is None or field.read_only == read_only]

    def api_names(self) -> list[str]:
        return [field.api_name for field in self]

    def sources(self) -> dict[str, str]:
        """{name: model field name}."""
        return {field.name: field.source or field.name for field in self}


class Entity:
    """What the project knows of one model it serves: its fields, its rule, its API form, whose data it holds."""

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        fields: Fields,
        *,
        events: Callable,
        serializer: type,
        person: str | None = None,
    ):
        """
        `events(change)`: the event types (strings) a `recruitos.changes.Change` of it means.
        `serializer`: its API serializer. `person`: the attribute holding the id of the candidate
        whose data it holds ("pk" for the candidate itself), or None.
        """
        self.name, self.model, self.fields, self.events = name, model, fields, events
        self.serializer, self.person_attribute = serializer, person

    def __repr__(self):
        return f"<Entity {self.name}>"

    @cached_property
    def columns(self) -> dict[str, str]:
        """{field name: column (attname)} of the declared fields."""
        meta = self.model._meta
        return {name: meta.get_field(source).attname for name, source in self.fields.sources().items()}

    @cached_property
    def recorded(self) -> frozenset[str]:
        """The columns whose changes history records."""
        return frozenset(self.columns[field.name] for field in self.fields if field.recorded)

    @cached_property
    def personal(self) -> frozenset[str]:
        """The columns that hold a person's data."""
        return frozenset(self.columns[field.name] for field in self.fields if field.personal)

    @cached_property
    def personal_api_names(self) -> tuple[str, ...]:
        """The same, as the API names them (in payloads that outlive the person)."""
        return tuple(sorted(field.api_name for field in self.fields if field.personal))

    def person(self, instance) -> int | None:
        """The id of the candidate whose data `instance` holds, or None."""
        return getattr(instance, self.person_attribute) if self.person_attribute else None

    def is_person(self) -> bool:
        """Whether an instance is the person itself (a candidate), not something about them."""
        return self.person_attribute == "pk"


_entities: dict[type[models.Model], Entity] = {}


def register(entity: Entity) -> Entity:
    """Make `entity` known (each app does it for its own, in `AppConfig.ready()`)."""
    _entities[entity.model] = entity
    return entity


def of(model: type[models.Model]) -> Entity:
    """The entity of `model` (a KeyError names a model no app registered)."""
    return _entities[model]


def named(name: str) -> Entity:
    """The entity called `name` ("candidate")."""
    return next(entity for entity in _entities.values() if entity.name == name)


def known() -> list[Entity]:
    return list(_entities.values())
