"""
The API's error bodies, in the contract's shapes.

- 400: {"detail": "Validation error", "errors": [{"field": "firstName", "message": "…"}]}
  for invalid bodies, query parameters and malformed JSON; `field` is camelCase and dotted
  for nested input; errors about the body as a whole name the field "body".
- 401: {"detail": "Invalid or missing authentication token"}, with `WWW-Authenticate: Bearer`.
- 404: {"detail": "Candidate not found"} (the model's name) or {"detail": "Not found."}.
- 409: {"detail": "Interview conflict", "errors": [{"field": "scheduledDate", "message": "…"}]}
  when a write clashes with what is stored (`Conflict`).
- 503: {"detail": "Service unavailable: …"} with `Retry-After` when the database does not answer.
- 500: {"detail": "Internal server error"}, the traceback logged, never an HTML page.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults as django_defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

from recruitos.naming import camel_name

logger = logging.getLogger("recruitos.api")

AUTHENTICATION_FAILED = "Invalid or missing authentication token"
VALIDATION_FAILED = "Validation error"
INTERNAL_ERROR = "Internal server error"
BODY_FIELD = "body"
RETRY_AFTER_SECONDS = 5


class Conflict(DjangoValidationError):
    """
    A write refused because it clashes with what is stored: a 409 in the API. It is Django's
    ValidationError (keyed by model field names), so forms show it and commands report it.
    """

    def __init__(self, title: str, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.title = title


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict"
    default_code = "conflict"


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Service unavailable: the database is not answering. Try again shortly."
    default_code = "database_unavailable"


def api_exception_handler(exc, context):
    """DRF's handler first (headers, rollback), then the contract's body shapes."""
    conflict = exc if isinstance(exc, Conflict) else None
    exc = _as_api_exception(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        logger.error("Unhandled error in %s", _describe(context), exc_info=exc)
        set_rollback()
        return Response({"detail": INTERNAL_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = {"detail": AUTHENTICATION_FAILED}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = validation_error_body(response.data)
    elif isinstance(exc, exceptions.ParseError):
        response.data = validation_error_body({BODY_FIELD: [str(exc.detail)]})
    elif conflict is not None:
        errors = {_api_field(context.get("view"), field): messages for field, messages in conflict.message_dict.items()}
        response.data = {"detail": conflict.title, "errors": flatten_errors(errors)}
    return response


def validation_error_body(detail) -> dict:
    """The contract's 400 body for DRF's (possibly nested) error detail."""
    return {"detail": VALIDATION_FAILED, "errors": flatten_errors(detail)}


def flatten_errors(detail) -> list[dict]:
    """DRF's nested error detail as a flat list of {"field": camelCase path, "message": text}."""
    return [{"field": _field_name(path), "message": str(message)} for path, message in _walk(detail)]


@csrf_exempt  # It only ever answers 404; CSRF's HTML 403 page must not pre-empt that.
def api_not_found(request, *args, **kwargs):
    """JSON 404 for any path under /api that no route matches, DEBUG or not, whatever the method."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)


def _json_under_api(status_code: int, detail: str, html_view):
    """A Django error handler: JSON in the contract's shape under /api, Django's own page elsewhere."""

    def handler(request, *args, **kwargs):
        if request.path == "/api" or request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=status_code)
        return html_view(request, *args, **kwargs)

    return handler


# Django's handler400/403/404/500 (recruitos.urls): what Django itself answers, before DRF or
# without it: a Host header not allowed, a request Django refuses, a path no route matches, an
# error in a middleware.
bad_request = _json_under_api(400, "Bad request", django_defaults.bad_request)
permission_denied = _json_under_api(403, "You do not have permission to perform this action.",
                                    django_defaults.permission_denied)  # fmt: skip
page_not_found = _json_under_api(404, "Not found.", django_defaults.page_not_found)
server_error = _json_under_api(500, INTERNAL_ERROR, django_defaults.server_error)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: JSON under /api (the API itself uses keys, not cookies), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=status.HTTP_403_FORBIDDEN)
    return django_csrf_failure(request, reason)


def _as_api_exception(exc, context):
    """Turn Django's own exceptions into DRF ones with the contract's messages."""
    if isinstance(exc, Conflict):
        return ConflictError(exc.title)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return exceptions.NotFound(_not_found_message(context.get("view")))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(get_error_detail(exc))
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("The database is not answering: %s", exc)
        unavailable = DatabaseUnavailable()
        unavailable.wait = RETRY_AFTER_SECONDS  # DRF's handler turns `wait` into Retry-After.
        return unavailable
    return exc


def _not_found_message(view) -> str:
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return "Not found."
    return f"{model._meta.verbose_name.capitalize()} not found"


def _api_field(view, name: str) -> str:
    """The view's serializer field for model field `name` (`candidate` → `candidate_id`), else `name`."""
    serializer = view.get_serializer() if hasattr(view, "get_serializer") else None
    fields = serializer.fields.items() if serializer is not None else ()
    return next((field_name for field_name, field in fields if field.source == name), name)


def _walk(detail, path=()):
    """Yield (path, message) for every message in a nested dict/list error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _walk(value, (*path, key))
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, str):
                yield path, item
            else:
                yield from _walk(item, (*path, index))
    else:
        yield path, detail


def _field_name(path) -> str:
    parts = [camel_name(str(part)) for part in path if part != api_settings.NON_FIELD_ERRORS_KEY]
    return ".".join(parts) or BODY_FIELD


def _describe(context) -> str:
    request = context.get("request")
    if request is None:
        return "the API"
    return f"{request.method} {request.path}"
