"""The personal-data access log. Writing is the only operation it supports."""

from hukou.models import AccessLog


def access_log_record(*, request=None, user=None, action: str, target: str, purpose: str, person=None) -> AccessLog:
    """Append an access-log entry for a view, search, lookup, print or export of personal data."""
    user = user or request.user
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    return AccessLog.objects.create(
        user=user,
        station_id=getattr(user, "station_id", None),
        action=action,
        target=target[:255],
        person=person,
        purpose=purpose[:128],
        ip_address=ip_address,
    )
