from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import defaults

from common.tasks import HEARTBEAT_KEY


def healthz(request):
    """Liveness, database reachability and the last worker heartbeat (for monitoring)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat": cache.get(HEARTBEAT_KEY)})


def _api_error(request, status: int, code: str, message: str):
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


def page_not_found(request, exception=None):
    """API paths answer in the common error format; pages get the Chinese 404 page."""
    if request.path.startswith("/api/"):
        return _api_error(request, 404, "not_found", gettext("Not found, or not visible to you."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return _api_error(request, 500, "server_error", gettext("An internal error occurred; it has been logged."))
    return defaults.server_error(request)


def bad_request(request, exception=None, message: str | None = None):
    """400: API paths in the common error format, pages the Chinese 400 page."""
    message = message or gettext("The request is not valid.")
    if request.path.startswith("/api/"):
        return _api_error(request, 400, "invalid", message)
    return render(request, "400.html", {"message": message}, status=400)


def control_characters_refused(request):
    message = gettext("The request contains characters that are not allowed (such as control characters).")
    return bad_request(request, message=message)
