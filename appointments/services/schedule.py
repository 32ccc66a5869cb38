"""Slots from the schedule rules, and what a rule change does to existing bookings.

``slots_generate`` is idempotent: it computes the slots the rules give for one station and day,
creates the missing ones, adjusts capacities, and retires slots the rules no longer give.
Bookings are never dropped: a booking whose slot was retired, or that no longer fits a reduced
capacity, is flagged (``Booking.flagged_reason``), its applicant gets one message (a
``Reminder`` row of kind ``reschedule``, so never twice) and the station admin sees the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Booking, Reminder, ScheduleRule, Slot
from common.workdays import is_working_day
from hukou.models import BusinessType


@dataclass(frozen=True)
class PlannedSlot:
    rule_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    business_type_ids: frozenset[int]


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _rules_for_day(rules: list[ScheduleRule], day: dt.date) -> tuple[list[ScheduleRule], list[ScheduleRule]]:
    """(opening rules, closures) that apply on ``day``."""
    covering = [rule for rule in rules if rule.covers(day)]
    closures = [rule for rule in covering if rule.kind == ScheduleRule.Kind.CLOSURE]
    extra = [rule for rule in covering if rule.kind == ScheduleRule.Kind.EXTRA]
    if not is_working_day(day):
        return extra, closures
    seasonal = [rule for rule in covering if rule.kind == ScheduleRule.Kind.SEASONAL]
    regular = [rule for rule in covering if rule.kind == ScheduleRule.Kind.REGULAR]
    return (seasonal or regular) + extra, closures


def _served(rule: ScheduleRule, windows, all_ids: frozenset[int]) -> frozenset[int]:
    own = {bt.pk for bt in rule.business_types.all()}
    if own:
        return frozenset(own)
    served: set[int] = set()
    for window in windows:
        ids = {bt.pk for bt in window.business_types.all()}
        served |= ids or all_ids
    return frozenset(served)


def _times(rule: ScheduleRule, day: dt.date):
    step = dt.timedelta(minutes=rule.slot_minutes)
    start, close = _aware(day, rule.opens), _aware(day, rule.closes)
    lunch = (
        (_aware(day, rule.lunch_start), _aware(day, rule.lunch_end)) if rule.lunch_start and rule.lunch_end else None
    )
    while start + step <= close:
        end = start + step
        if not (lunch and start < lunch[1] and end > lunch[0]):
            yield start, end
        start = end


def slots_plan(*, station_id: int, day: dt.date) -> list[PlannedSlot]:
    """The slots the active rules give for ``station_id`` on ``day`` (reads only)."""
    rules = list(
        ScheduleRule.objects.filter(station_id=station_id, is_active=True).prefetch_related(
            "business_types", "windows__business_types"
        )
    )
    opening, closures = _rules_for_day(rules, day)
    closed = [(_aware(day, c.opens), _aware(day, c.closes)) for c in closures]
    all_ids = frozenset(BusinessType.objects.filter(is_active=True).values_list("pk", flat=True))
    planned = []
    for rule in opening:
        windows = [w for w in rule.windows.all() if w.is_open]
        capacity = len(windows) * rule.places_per_window * (100 - rule.walk_in_percent) // 100
        served = _served(rule, windows, all_ids)
        if capacity <= 0 or not served:
            continue
        for start, end in _times(rule, day):
            if any(start < c_end and end > c_start for c_start, c_end in closed):
                continue
            planned.append(PlannedSlot(rule.pk, start, end, capacity, served))
    return planned


def _flag(bookings, reason: str) -> list[int]:
    now = timezone.now()
    ids = [b.pk for b in bookings if not b.flagged_at]
    Booking.objects.filter(pk__in=ids).update(flagged_reason=reason[:200], flagged_at=now)
    Reminder.objects.bulk_create(
        [Reminder(booking_id=pk, kind=Reminder.Kind.RESCHEDULE) for pk in ids], ignore_conflicts=True
    )
    return ids


def _retire(slot: Slot) -> list[int]:
    slot.is_active = False
    slot.save(update_fields=["is_active"])
    return _flag(slot.bookings.active(), _("The station changed its opening hours; this time is no longer offered."))


def _resize(slot: Slot, capacity: int) -> list[int]:
    flagged = []
    if capacity < slot.booked:
        # Keep every booking (never silently dropped); flag the latest ones beyond the new size.
        excess = list(slot.bookings.active().order_by("-created_at")[: slot.booked - capacity])
        flagged = _flag(excess, _("The station reduced the places of this time; please choose another time."))
    slot.capacity = max(capacity, slot.booked)
    slot.is_active = True
    slot.save(update_fields=["capacity", "is_active"])
    return flagged


@transaction.atomic
def slots_generate(*, station_id: int, day: dt.date) -> list[int]:
    """Brings the slots of one station and day in line with the rules. Existing slots are locked
    while their capacity changes (bookings may be running). Returns the ids of bookings newly
    flagged as no longer fitting; their applicants are told by ``reminders_send_due``."""
    planned = {(p.rule_id, p.starts_at): p for p in slots_plan(station_id=station_id, day=day)}
    start, end = _aware(day, dt.time.min), _aware(day + dt.timedelta(days=1), dt.time.min)
    existing = Slot.objects.select_for_update().filter(station_id=station_id, starts_at__gte=start, starts_at__lt=end)
    flagged: list[int] = []
    for slot in existing:
        plan = planned.pop((slot.rule_id, slot.starts_at), None)
        if plan is None:
            if slot.is_active:
                flagged += _retire(slot)
        elif plan.capacity != slot.capacity or not slot.is_active:
            flagged += _resize(slot, plan.capacity)
    for plan in planned.values():
        slot = Slot.objects.create(
            station_id=station_id,
            rule_id=plan.rule_id,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            capacity=plan.capacity,
        )
        slot.business_types.set(plan.business_type_ids)
    return flagged


def slots_generate_horizon(*, station_id: int, days: int | None = None) -> list[int]:
    """``slots_generate`` for today and the booking horizon (and one day beyond, so the next
    release is ready before its hour). Each day is its own transaction."""
    from django.conf import settings

    today = timezone.localdate()
    count = (days if days is not None else settings.BOOKING_HORIZON_DAYS) + 1
    flagged: list[int] = []
    for offset in range(count + 1):
        flagged += slots_generate(station_id=station_id, day=today + dt.timedelta(days=offset))
    return flagged
