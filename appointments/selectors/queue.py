"""Reads of the on-site queue: the call-next rule, positions, the console and display lists."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, Exists, F, IntegerField, Min, Q, Value, When
from django.utils import timezone

from appointments.models import Booking, Ticket, TicketCall, Window

# A booked visitor counts as "due" from this long before their slot.
DUE_AHEAD = dt.timedelta(minutes=5)


def call_order(*, now: dt.datetime):
    """THE call-next rule, as an ordering over waiting tickets (one place, documented):

    0. tickets transferred to this window (they already waited once);
    1. booked visitors whose slot is due (from 5 minutes before it), earliest slot first;
    2. priority tickets (elderly, disabled, pregnant), in order of issue;
    3. everyone else (walk-ins, and booked visitors who came early), in order of issue.

    Returns (annotation, ordering) for a ``Ticket`` queryset; ``ticket_next_for_window`` and the
    position count share it, so the phone's "people ahead" matches what the clerk will call."""
    due = Q(series=Ticket.Series.BOOKED, due_at__lte=now + DUE_AHEAD)
    rank = Case(
        When(for_window__isnull=False, then=Value(0)),
        When(due, then=Value(1)),
        When(series=Ticket.Series.PRIORITY, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    # Only rank 1 orders by slot time; everyone else strictly by issue (NULL order differs per database).
    due_first = Case(When(due, then=F("due_at")), default=Value(None), output_field=DateTimeField())
    return rank, ["rank", due_first.asc(nulls_last=True), "issued_at", "id"]


def _waiting_for(window: Window, day: dt.date):
    """Waiting tickets this window may call: its business types (none listed: all), not
    transferred to another window. One query, the business types as a sub-select."""
    served = Window.business_types.through.objects.filter(window_id=window.pk)
    tickets = Ticket.objects.filter(station_id=window.station_id, day=day, status=Ticket.Status.WAITING).filter(
        Q(for_window__isnull=True) | Q(for_window=window)
    )
    return tickets.filter(Q(business_type__in=served.values("businesstype_id")) | ~Exists(served))


def tickets_next_for_window(*, window: Window, now: dt.datetime | None = None):
    """The waiting tickets ``window`` may call, in call order, locking the first one it reads
    and skipping rows another window holds (``SKIP LOCKED``: two windows pressing "call next"
    at once get two different tickets). Sliced to one row it is one indexed, ordered LIMIT 1
    query whatever the queue length; ``services.queue`` embeds it in its UPDATE."""
    now = now or timezone.now()
    rank, ordering = call_order(now=now)
    tickets = _waiting_for(window, timezone.localdate(now)).annotate(rank=rank).order_by(*ordering)
    return tickets.select_for_update(skip_locked=True, of=("self",))


def ticket_next_for_window(*, window: Window, now: dt.datetime | None = None) -> Ticket | None:
    """The ticket ``window`` should call now, locked (see ``tickets_next_for_window``)."""
    return tickets_next_for_window(window=window, now=now).first()


def ticket_position(*, ticket: Ticket, now: dt.datetime | None = None) -> int:
    """People ahead of ``ticket`` by the call rule (0 when it is being called or served)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    now = now or timezone.now()
    rank, _ordering = call_order(now=now)
    waiting = Ticket.objects.filter(station_id=ticket.station_id, day=ticket.day, status=Ticket.Status.WAITING)
    ranked = waiting.annotate(rank=rank)
    mine = ranked.filter(pk=ticket.pk).values_list("rank", flat=True).first()
    if mine is None:
        return 0
    due = ticket.due_at or dt.datetime.max.replace(tzinfo=dt.UTC)
    ahead = Q(rank__lt=mine) | Q(rank=mine, issued_at__lt=ticket.issued_at)
    if mine == 1:
        ahead = (
            Q(rank__lt=mine) | Q(rank=mine, due_at__lt=due) | Q(rank=mine, due_at=due, issued_at__lt=ticket.issued_at)
        )
    return ranked.filter(ahead).count()


def ticket_wait_minutes(*, station_id: int, ahead: int) -> int:
    windows = max(Window.objects.filter(station_id=station_id, is_open=True).count(), 1)
    return -(-ahead * settings.QUEUE_MINUTES_PER_VISIT // windows)


def station_booked_delay_minutes(*, station_id: int, now: dt.datetime | None = None) -> int:
    """How far behind the station runs for booked visitors, in minutes: the larger of the
    estimated wait of a booked visitor due now (the transferred and due booked tickets go
    before them: ``call_order`` ranks 0 and 1) and how long the longest-waiting due booked
    visitor is already past their time. Two queries."""
    now = now or timezone.now()
    due = Q(series=Ticket.Series.BOOKED, due_at__lte=now + DUE_AHEAD)
    waiting = Ticket.objects.filter(station_id=station_id, day=timezone.localdate(now), status=Ticket.Status.WAITING)
    row = waiting.aggregate(
        ahead=Count("pk", filter=due | Q(for_window__isnull=False)), oldest=Min("due_at", filter=due)
    )
    late = int((now - row["oldest"]).total_seconds() // 60) if row["oldest"] else 0
    estimated = ticket_wait_minutes(station_id=station_id, ahead=row["ahead"]) if row["ahead"] else 0
    return max(late, estimated, 0)


def ticket_status(*, ticket: Ticket) -> dict:
    """What the phone page shows: number, state, people ahead, estimated wait, window."""
    ahead = ticket_position(ticket=ticket)
    return {
        "number": ticket.number,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "ahead": ahead,
        "wait_minutes": ticket_wait_minutes(station_id=ticket.station_id, ahead=ahead) if ahead else 0,
        "window": ticket.window.number if ticket.window_id and ticket.window else None,
        "your_turn": ticket.status == Ticket.Status.CALLED,
    }


def calls_since(*, station_id: int, after_id: int, limit: int = 20) -> list[TicketCall]:
    """Calls a reconnecting display missed (by sequence), oldest first."""
    return list(
        TicketCall.objects.filter(station_id=station_id, id__gt=after_id)
        .select_related("ticket", "window")
        .order_by("-id")[:limit][::-1]
    )


def console_queue(*, window: Window) -> dict:
    """The clerk's console: the window's current ticket and the waiting list in call order."""
    now = timezone.now()
    rank, ordering = call_order(now=now)
    waiting = list(
        _waiting_for(window, timezone.localdate(now))
        .annotate(rank=rank)
        .order_by(*ordering)
        .select_related("business_type")[:30]
    )
    current = (
        Ticket.objects.filter(window=window, status__in=(Ticket.Status.CALLED, Ticket.Status.SERVING))
        .select_related("business_type", "booking")
        .order_by("-called_at")
        .first()
    )
    return {"waiting": waiting, "current": current}


def no_show_grace_remaining(*, ticket: Ticket | None, now: dt.datetime | None = None) -> int:
    """Seconds until a called ticket may be marked a no-show (0: now; the console counts down)."""
    if ticket is None or ticket.status != Ticket.Status.CALLED or ticket.called_at is None:
        return 0
    now = now or timezone.now()
    left = ticket.called_at + dt.timedelta(seconds=settings.QUEUE_NO_SHOW_GRACE_SECONDS) - now
    return max(0, int(-(-left.total_seconds() // 1)))


def bookings_running_late(*, station_id: int, now: dt.datetime | None = None) -> list[Booking]:
    """Today's bookings at the station whose holder said "I'm running late", not yet checked in."""
    now = now or timezone.now()
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    return list(
        Booking.objects.filter(
            station_id=station_id,
            status=Booking.Status.BOOKED,
            late_notice_at__isnull=False,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + dt.timedelta(days=1),
        )
        .select_related("slot", "business_type")
        .order_by("slot__starts_at")
    )
