"""One error format for every API failure.

Every error answers ``{"code": ..., "message": ..., "fields": {...}}``: ``code`` is stable and
machine-readable, ``message`` is for people (Chinese by default, English with
``Accept-Language: en``), ``fields`` maps field names to lists of messages for validation errors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The resource was changed or is exhausted."


class ServiceBusy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "busy"
    default_detail = "The system is busy; please try again in a moment."


def _messages(detail) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _messages(value)]
    return [str(detail)]


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return {}


def _codes(detail) -> str:
    codes = detail if isinstance(detail, str) else None
    return codes or "invalid"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not visible to you."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        non_field = fields.pop("non_field_errors", [])
        if not isinstance(exc.detail, dict):
            non_field = _messages(exc.detail)
        message = non_field[0] if non_field else _("Some fields are not valid; see the field errors.")
        body = {"code": "invalid", "message": message, "fields": fields}
        if non_field:
            body["fields"]["non_field_errors"] = non_field
    else:
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        body = {"code": _codes(code), "message": _localised(exc), "fields": {}}
    return Response(body, status=response.status_code, headers=_headers(response))


_LOCALISED = {
    exceptions.NotAuthenticated: lambda: _("Please log in first."),
    exceptions.AuthenticationFailed: lambda: _("The login details or token are not valid."),
    exceptions.MethodNotAllowed: lambda: _("This method is not allowed here."),
    exceptions.Throttled: lambda: _("Too many requests; please wait and try again."),
}


def _localised(exc) -> str:
    for klass, message in _LOCALISED.items():
        if isinstance(exc, klass):
            return message()
    detail = exc.detail
    return " ".join(_messages(detail))


def _headers(response) -> dict[str, str]:
    return {key: value for key, value in response.items() if key in {"Retry-After", "WWW-Authenticate", "ETag"}}
