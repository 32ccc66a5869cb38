"""School notices (推送提醒): the registry changes that concern a school.

A change concerns a school if it is about a child enrolled there, or if the household's address
lies in one of the school's catchment areas (any year) after the change or before it
(``ChangeEvent.previous_address``, set by the registry when a change moves the person), and only
if it is about a child of school age today (``schoolsync.school_age``, the rule of the eligibility
lookup and the sync push): a school never sees an adult's change. Built as one
query with sub-queries, so the page costs the same number of queries for 1 or 1,000 notices.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hukou.models import Address, ChangeEvent
from schoolsync.models import CatchmentArea, Enrolment, SchoolNoticeRead
from schoolsync.school_age import school_age_q


def _catchment_addresses(school) -> QuerySet | None:
    areas = list(CatchmentArea.objects.filter(school=school))
    if not areas:
        return None
    return Address.objects.filter(reduce(operator.or_, (area.address_q() for area in areas)))


def school_notices(*, school) -> QuerySet:
    """ChangeEvents of children of school age concerning ``school``, newest first, annotated
    with ``is_read``."""
    concerns = Q(person_id__in=Enrolment.objects.filter(school=school).values("person_id"))
    addresses = _catchment_addresses(school)
    if addresses is not None:
        address_ids = addresses.values("id")
        concerns |= Q(household__address_id__in=address_ids) | Q(previous_address_id__in=address_ids)
    read = SchoolNoticeRead.objects.filter(school=school, change_event=OuterRef("pk"))
    return (
        ChangeEvent.objects.filter(concerns)
        .filter(school_age_q(on=timezone.localdate(), prefix="person__"))
        .annotate(is_read=Exists(read))
        .select_related("person", "household__address__community")
        .order_by("-occurred_at", "-id")
    )


def school_notices_unread_count(*, school) -> int:
    return school_notices(school=school).filter(is_read=False).count()
