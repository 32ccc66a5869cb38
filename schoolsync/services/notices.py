"""Marking school notices read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from schoolsync.models import SchoolNoticeRead
from schoolsync.selectors.notices import school_notices

if TYPE_CHECKING:
    from hukou.policy import Actor


class NoticeNotVisible(Exception):
    """The change event does not exist or does not concern the user's school."""


@transaction.atomic
def school_notice_mark_read(*, actor: Actor, change_event_id: int) -> SchoolNoticeRead:
    """Mark one notice read for ``actor``'s school. Idempotent: a second call keeps the first mark
    (who read it first and when). Raises ``NoticeNotVisible`` for a change that does not concern
    the school, so another school's notices cannot even be probed."""
    school = actor.school
    if not school_notices(school=school).filter(pk=change_event_id).exists():
        raise NoticeNotVisible
    mark, _ = SchoolNoticeRead.objects.get_or_create(
        school=school,
        change_event_id=change_event_id,
        defaults={"read_by": actor, "read_at": timezone.now()},
    )
    return mark
