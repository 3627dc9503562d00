"""
The API's JSON renderer: orjson, with snake_case keys turned to camelCase on the way out.

Keys are converted once each and cached; rows the API reads carry camelCase keys already
(`CamelCased`) and pass through untouched. Datetimes are written by orjson itself, in UTC
with a `Z` (as DRF writes them).
"""

from decimal import Decimal

import orjson
from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer

from recruitos.naming import camel_name

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


class CamelCased(dict):
    """A dict whose keys are camelCase already (rows read for the API): rendered as it is."""


def camelize(data):
    """A copy of `data` with every dict key camelCased; other values as they are."""
    if isinstance(data, CamelCased):
        return data
    if isinstance(data, dict):
        return {camel_name(key) if isinstance(key, str) else key: camelize(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [camelize(item) for item in data]
    return data


def _default(value):
    if isinstance(value, Promise):
        return force_str(value)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class CamelCaseORJSONRenderer(BaseRenderer):
    """Render the response data as camelCase JSON with orjson."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(camelize(data), default=_default, option=OPTIONS)
