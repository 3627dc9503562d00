"""Field names: between Python (snake_case) and the wire (camelCase), and a model's columns."""

import re
from functools import cache, lru_cache

from djangorestframework_camel_case.settings import api_settings as camel_case_settings
from djangorestframework_camel_case.util import camel_to_underscore, camelize_re, underscore_to_camel


@lru_cache(maxsize=1024)
def camel_name(name: str) -> str:
    """`first_name` → `firstName`, `phase1_count` → `phase1Count`."""
    return re.sub(camelize_re, underscore_to_camel, name)


@lru_cache(maxsize=1024)
def snake_name(name: str) -> str:
    """`firstName` → `first_name`, exactly as the request parser converts body keys."""
    return camel_to_underscore(name, **camel_case_settings.JSON_UNDERSCOREIZE)


@cache
def concrete_fields(model) -> tuple[str, ...]:
    """The attribute names of the model's columns, in the order `Model.from_db` takes their values."""
    return tuple(field.attname for field in model._meta.get_fields() if field.concrete)
