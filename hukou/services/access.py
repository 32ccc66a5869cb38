"""The personal-data access log. Writing is the only operation it supports."""

import re

from common.idnumber import mask_id_number
from hukou.models import AccessLog

# An ID number typed into a search must not be kept in full in a log that can never be edited.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def access_log_record(*, request=None, user=None, action: str, target: str, purpose: str, person=None) -> AccessLog:
    """Append an access-log entry for a view, search, lookup, print or export of personal data."""
    user = user or request.user
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    return AccessLog.objects.create(
        user=user,
        station_id=getattr(user, "station_id", None),
        action=action,
        target=_ID_NUMBER.sub(lambda match: mask_id_number(match.group().upper()), target)[:255],
        person=person,
        purpose=purpose[:128],
        ip_address=ip_address,
    )
