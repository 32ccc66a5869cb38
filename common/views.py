from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from common.tasks import HEARTBEAT_KEY


def healthz(request):
    """Liveness, database reachability and the last worker heartbeat (for monitoring)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat": cache.get(HEARTBEAT_KEY)})
