"""The on-site queue: check-in and walk-in tickets, and every step at the window.

Every call of a ticket, from the console, the API or the admin, goes through ``ticket_call``
(and ``ticket_recall``): they write the ``TicketCall`` row and publish to the station's
displays and phones after commit. No other code publishes a call, so no path can skip the
display. Numbers are issued under the station row lock (one serial per station, day, series);
the unique constraint on (station, day, number) is the backstop.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Booking, Ticket, TicketCall, Window
from appointments.selectors.queue import ticket_next_for_window, tickets_next_for_window
from appointments.selectors.voice import call_clips, call_text
from appointments.services.push import publish_after_commit
from appointments.services.sanctions import no_show_apply_policy
from common.idnumber import normalize_id_number
from hukou.models import BusinessType, Station
from hukou.visibility import can_see_station


def _issue(*, station_id: int, series: str, **fields) -> Ticket:
    Station.objects.select_for_update().get(pk=station_id)  # serialises numbering per station
    today = timezone.localdate()
    last = Ticket.objects.filter(station_id=station_id, day=today, series=series).aggregate(m=Max("serial"))["m"]
    serial = (last or 0) + 1
    ticket = Ticket.objects.create(
        station_id=station_id, day=today, series=series, serial=serial, number=f"{series}{serial:03d}", **fields
    )
    publish_after_commit(station_id=station_id, event={"kind": "queue"})
    return ticket


def _find_booking(*, station_id: int, code: str, id_number: str) -> Booking:
    today = timezone.localdate()
    bookings = Booking.objects.select_for_update(of=("self",)).select_related("slot", "business_type")
    bookings = bookings.filter(station_id=station_id, status=Booking.Status.BOOKED, slot__starts_at__date=today)
    if code:
        booking = bookings.filter(code=code.strip().upper()).first()
    elif id_number:
        booking = (
            bookings.filter(applicant_id_number=normalize_id_number(id_number)).order_by("slot__starts_at").first()
        )
    else:
        booking = None
    if booking is None:
        raise ValidationError(_("No booking for today at this station matches."), code="no_booking")
    return booking


@transaction.atomic
def ticket_check_in(*, station_id: int, code: str = "", id_number: str = "", priority: bool = False) -> Ticket:
    """排号 for a booked visitor (booking code, QR or ID number). Within the early/late window
    the ticket joins the booked series, due at the slot; later than that it joins the walk-in
    line (the booking still counts as kept). Too early is refused. Checking in twice is
    refused (the booking is no longer ``booked``)."""
    booking = _find_booking(station_id=station_id, code=code, id_number=id_number)
    now, start = timezone.now(), booking.slot.starts_at
    if now < start - dt.timedelta(minutes=settings.CHECKIN_EARLY_MINUTES):
        raise ValidationError(
            _("Too early: check-in opens %(minutes)s minutes before your time (%(time)s).")
            % {"minutes": settings.CHECKIN_EARLY_MINUTES, "time": timezone.localtime(start).strftime("%H:%M")},
            code="too_early",
        )
    late = now > start + dt.timedelta(minutes=settings.CHECKIN_LATE_MINUTES)
    series = Ticket.Series.PRIORITY if priority else (Ticket.Series.WALK_IN if late else Ticket.Series.BOOKED)
    booking.status = Booking.Status.CHECKED_IN
    booking.save(update_fields=["status"])
    return _issue(
        station_id=station_id,
        series=series,
        business_type=booking.business_type,
        booking=booking,
        account_id=booking.account_id,
        applicant_name=booking.applicant_name,
        applicant_id_number=booking.applicant_id_number,
        applicant_phone=booking.applicant_phone,
        due_at=None if late else start,
    )


@transaction.atomic
def ticket_walk_in(
    *, station_id: int, business_type_id: int, priority: bool = False, applicant_name: str = "", account=None
) -> Ticket:
    """A ticket for a visitor without a booking (walk-in series, or priority series for the
    elderly, disabled and pregnant as confirmed at the desk)."""
    business_type = BusinessType.objects.filter(pk=business_type_id, is_active=True).first()
    if business_type is None:
        raise ValidationError(_("Choose a business type."), code="business_required")
    series = Ticket.Series.PRIORITY if priority else Ticket.Series.WALK_IN
    return _issue(
        station_id=station_id,
        series=series,
        business_type=business_type,
        applicant_name=applicant_name.strip()[:64],
        account=account,
    )


def _lock_window(*, actor, window_id: int) -> Window:
    window = Window.objects.select_for_update().filter(pk=window_id).first()
    if window is None or (actor is not None and not can_see_station(actor, window.station_id)):
        raise ValidationError(_("This window is not at your station."), code="other_station")
    return window


def _lock_ticket(*, actor, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or (actor is not None and not can_see_station(actor, ticket.station_id)):
        raise ValidationError(_("Ticket not found at your station."), code="not_found")
    return ticket


def _require(ticket: Ticket, *statuses: str) -> None:
    if ticket.status not in statuses:
        raise ValidationError(
            _("Ticket %(number)s is %(status)s; this step is not possible now.")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="wrong_status",
        )


def _publish_call(ticket: Ticket, window: Window, *, seq: int, recall: bool) -> None:
    event = {
        "kind": "call",
        "seq": seq,
        "number": ticket.number,
        "window": window.number,
        "recall": recall,
        "text": call_text(ticket_number=ticket.number, window_number=window.number),
        "clips": call_clips(ticket_number=ticket.number, window_number=window.number),
        "token": ticket.token,
    }
    publish_after_commit(station_id=ticket.station_id, event=event)


def _announce(ticket: Ticket, window: Window, *, actor, recall: bool) -> TicketCall:
    call = TicketCall.objects.create(
        station_id=ticket.station_id, ticket=ticket, window=window, is_recall=recall, by=actor
    )
    _publish_call(ticket, window, seq=call.pk, recall=recall)
    return call


def _call(ticket: Ticket, window: Window, *, actor) -> Ticket:
    """Both rows locked by the caller."""
    _require(ticket, Ticket.Status.WAITING)
    if ticket.station_id != window.station_id:
        raise ValidationError(_("This window is not at the ticket's station."), code="other_station")
    ticket.status = Ticket.Status.CALLED
    ticket.window = window
    ticket.for_window = None
    ticket.called_at = timezone.now()
    ticket.call_count += 1
    ticket.save(update_fields=["status", "window", "for_window", "called_at", "call_count"])
    _announce(ticket, window, actor=actor, recall=False)
    return ticket


@transaction.atomic
def ticket_call(*, actor, ticket_id: int, window_id: int) -> Ticket:
    """Calls a waiting ticket to a window: THE one path to the display (console, API and admin
    all use it, and ``ticket_call_next`` shares its ``_call``). Locks the window and the ticket,
    re-checks the ticket is waiting, records a ``TicketCall`` and publishes after commit."""
    window = _lock_window(actor=actor, window_id=window_id)
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    return _call(ticket, window, actor=actor)


@transaction.atomic
def ticket_recall(*, actor, ticket_id: int) -> Ticket:
    """Calls a called ticket again (the display repeats the sentence); publishes after commit."""
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    _require(ticket, Ticket.Status.CALLED)
    ticket.call_count += 1
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["call_count", "called_at"])
    _announce(ticket, ticket.window, actor=actor, recall=True)
    return ticket


def _window_busy_error(window: Window) -> ValidationError | None:
    current = Ticket.objects.filter(window=window, status__in=(Ticket.Status.CALLED, Ticket.Status.SERVING))
    number = current.values_list("number", flat=True).first()
    if number is None:
        return None
    return ValidationError(
        _("Finish, or mark as no-show, ticket %(number)s first.") % {"number": number}, code="window_busy"
    )


# Pick the next ticket, mark it called and record the call: one statement. The pick is the
# call rule's ordered ``LIMIT 1 … FOR UPDATE SKIP LOCKED`` query (selectors.queue), so the
# ticket row is locked only for the rest of this transaction and never waited for. The
# "window still busy?" guard is in the same WHERE: this statement starts after the window row
# is locked, so its snapshot sees a call another press of the same window just committed (a
# sub-select in the locking SELECT would not: it reads the snapshot from before the wait).
_CALL_NEXT_SQL = """
WITH picked AS (
    UPDATE appointments_ticket
       SET status = %s, window_id = %s, for_window_id = NULL, called_at = %s, call_count = call_count + 1
     WHERE id = ({pick})
       AND NOT EXISTS (SELECT 1 FROM appointments_ticket busy WHERE busy.window_id = %s AND busy.status IN (%s, %s))
 RETURNING *
), recorded AS (
    INSERT INTO appointments_ticketcall (station_id, ticket_id, window_id, is_recall, at, by_id)
    SELECT station_id, id, %s, FALSE, %s, %s FROM picked
 RETURNING id
)
SELECT picked.*, recorded.id AS call_id FROM picked, recorded
"""


def _call_next_in_one_statement(window: Window, *, actor) -> Ticket | None:
    now = timezone.now()
    pick, pick_params = tickets_next_for_window(window=window, now=now).values("pk")[:1].query.sql_with_params()
    busy = (window.pk, Ticket.Status.CALLED, Ticket.Status.SERVING)
    params = [Ticket.Status.CALLED, window.pk, now, *pick_params, *busy, window.pk, now, getattr(actor, "pk", None)]
    ticket = next(iter(Ticket.objects.raw(_CALL_NEXT_SQL.format(pick=pick), params)), None)
    if ticket is None:  # nobody waits, or the window is busy: tell which (one more query)
        error = _window_busy_error(window)
        if error is not None:
            raise error
        return None
    _publish_call(ticket, window, seq=ticket.call_id, recall=False)
    return ticket


@transaction.atomic
def ticket_call_next(*, actor, window_id: int) -> Ticket | None:
    """The window's next ticket by the call rule (``selectors.queue.call_order``). Two windows
    calling at once get different tickets (SKIP LOCKED); a window still holding a called or
    served ticket is refused. Like ``ticket_call`` it records a ``TicketCall`` and publishes
    after commit (``_publish_call``, shared with ``_announce``). On PostgreSQL it costs two
    statements whatever the queue length: lock the window, then one
    ``UPDATE … WHERE id = (pick … SKIP LOCKED) AND NOT busy RETURNING`` that also inserts the
    call. Returns ``None`` when nobody waits."""
    window = _lock_window(actor=actor, window_id=window_id)
    if connection.vendor == "postgresql":
        return _call_next_in_one_statement(window, actor=actor)
    error = _window_busy_error(window)  # SQLite (embedded default): the same rule, step by step
    if error is not None:
        raise error
    ticket = ticket_next_for_window(window=window)
    return _call(ticket, window, actor=actor) if ticket is not None else None


@transaction.atomic
def ticket_no_show(*, actor, ticket_id: int) -> Ticket:
    """The called visitor did not come within the grace period. A booked visitor's booking
    becomes a no-show and the no-show policy is applied to their account."""
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    _require(ticket, Ticket.Status.CALLED)
    grace = dt.timedelta(seconds=settings.QUEUE_NO_SHOW_GRACE_SECONDS)
    if timezone.now() < ticket.called_at + grace:
        raise ValidationError(
            _("Wait %(seconds)s seconds after the call before marking a no-show.")
            % {"seconds": settings.QUEUE_NO_SHOW_GRACE_SECONDS},
            code="grace",
        )
    ticket.status = Ticket.Status.NO_SHOW
    ticket.save(update_fields=["status"])
    if ticket.booking_id:
        Booking.objects.filter(pk=ticket.booking_id).update(status=Booking.Status.NO_SHOW)
        if ticket.account_id:
            no_show_apply_policy(account_id=ticket.account_id, station_id=ticket.station_id)
    publish_after_commit(station_id=ticket.station_id, event={"kind": "queue"})
    return ticket


@transaction.atomic
def ticket_transfer(
    *, actor, ticket_id: int, window_id: int | None = None, business_type_id: int | None = None
) -> Ticket:
    """Sends a called or served ticket back to the queue for another window and/or business
    type; it is called before anyone else there (rank 0 of the call rule)."""
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    _require(ticket, Ticket.Status.CALLED, Ticket.Status.SERVING)
    if window_id is None and business_type_id is None:
        raise ValidationError(_("Choose a window or a business type."), code="target_required")
    if window_id is not None:
        target = Window.objects.filter(pk=window_id, station_id=ticket.station_id).first()
        if target is None:
            raise ValidationError(_("This window is not at your station."), code="other_station")
        ticket.for_window = target
    if business_type_id is not None:
        ticket.business_type = BusinessType.objects.get(pk=business_type_id)
    ticket.status = Ticket.Status.WAITING
    ticket.window = None
    ticket.save(update_fields=["for_window", "business_type", "status", "window"])
    publish_after_commit(station_id=ticket.station_id, event={"kind": "queue"})
    return ticket


@transaction.atomic
def ticket_start(*, actor, ticket_id: int) -> Ticket:
    """The visitor came to the window: service starts, served by ``actor``."""
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    _require(ticket, Ticket.Status.CALLED)
    ticket.status = Ticket.Status.SERVING
    ticket.started_at = timezone.now()
    ticket.served_by = actor
    ticket.save(update_fields=["status", "started_at", "served_by"])
    return ticket


@transaction.atomic
def ticket_finish(*, actor, ticket_id: int) -> Ticket:
    """Service ended. The booking (if any) is done. The clerk may then receive a case from the
    ticket; ``ticket_case_link`` makes the case remember it."""
    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    _require(ticket, Ticket.Status.SERVING)
    ticket.status = Ticket.Status.DONE
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    if ticket.booking_id:
        Booking.objects.filter(pk=ticket.booking_id).update(status=Booking.Status.DONE)
    publish_after_commit(station_id=ticket.station_id, event={"kind": "queue"})
    return ticket


@transaction.atomic
def ticket_case_link(*, actor, ticket_id: int, case_id: int) -> Ticket:
    """Records which case was received from this ticket. Only the clerk who served the ticket,
    with a case they received at the same station."""
    from hukou.models import Case

    ticket = _lock_ticket(actor=actor, ticket_id=ticket_id)
    case = Case.objects.filter(pk=case_id, station_id=ticket.station_id, received_by=actor).first()
    if case is None or ticket.served_by_id != actor.pk:
        raise ValidationError(
            _("Only the clerk who served the ticket can link a case they received."), code="not_owner"
        )
    ticket.case = case
    ticket.save(update_fields=["case"])
    return ticket
