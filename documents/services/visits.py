"""Where booking and pre-review meet: a parent ties an application to a booked visit, and at the
window the clerk receives the case from the ticket's application.

documents imports appointments (it is the app that knows both); appointments never imports
documents and learns what to show through its materials provider (``documents/bridge.py``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from appointments.models import Booking, Ticket
from appointments.services.queue import ticket_case_link
from documents.models import Application
from documents.policy import VISIT_TIEABLE
from documents.services.applications import application_start
from documents.services.window import application_to_case
from hukou.models import Case
from hukou.visibility import can_see_station


def _own_booking(*, user, booking_code: str) -> Booking:
    """The parent's own active booking, locked; another parent's answers "not found"."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("business_type", "station")
        .filter(code=(booking_code or "").strip().upper(), account=user)
        .first()
        if user and user.is_authenticated
        else None
    )
    if booking is None:
        raise ValidationError(_("Booking not found."), code="not_found")
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking is no longer active."), code="booking_inactive")
    return booking


def _matches(application: Application, booking: Booking) -> None:
    """Same business type, same person (the child, or the parent themself), same station."""
    if application.checklist.business_type_id != booking.business_type_id:
        raise ValidationError(
            _("This application is for %(a)s but the booking is for %(b)s.")
            % {"a": application.checklist.business_type.name, "b": booking.business_type.name},
            code="other_business",
        )
    if application.child_id != booking.person_id:
        raise ValidationError(_("The booking and the application are not for the same person."), code="other_person")
    if application.station_id != booking.station_id:
        raise ValidationError(
            _("The application belongs to %(station)s; book a visit there.") % {"station": application.station.name},
            code="other_station",
        )


def _tie(application: Application, booking: Booking) -> Application:
    if application.status not in VISIT_TIEABLE:
        raise ValidationError(_("This application is closed; it cannot be tied to a visit."), code="closed")
    _matches(application, booking)
    if application.booking_id == booking.pk:
        return application
    if application.booking_id is not None and application.booking.status in Booking.ACTIVE:
        raise ValidationError(
            _("This application is already tied to booking %(code)s.") % {"code": application.booking.code},
            code="already_tied",
        )
    taken = Application.objects.filter(booking=booking).exclude(pk=application.pk).first()
    if taken is not None:
        raise ValidationError(_("This booking already has a pre-review application."), code="booking_taken")
    application.booking = booking
    try:
        with transaction.atomic():
            application.save(update_fields=["booking", "updated_at"])
    except IntegrityError:  # a concurrent tie of the same booking won (one application per booking)
        raise ValidationError(_("This booking already has a pre-review application."), code="booking_taken") from None
    return application


@transaction.atomic
def application_tie_booking(*, user, application_id: int, booking_code: str) -> Application:
    """Ties the parent's application to the parent's own booking of the same business type,
    person and station. One application per booking (a database rule as the backstop); an
    application tied to a booking that is no longer active may be tied again. Raises
    ``ValidationError`` (Chinese), writing nothing."""
    booking = _own_booking(user=user, booking_code=booking_code)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("checklist__business_type", "station", "booking")
        .filter(pk=application_id, applicant=user)
        .first()
    )
    if application is None:
        raise ValidationError(_("No such application."), code="not_found")
    return _tie(application, booking)


@transaction.atomic
def application_start_for_booking(*, user, booking_code: str) -> Application:
    """ "Start the pre-review for this visit": a new application for the booking's business type,
    person and station, tied to it. Refused when the booking already has one."""
    booking = _own_booking(user=user, booking_code=booking_code)
    if Application.objects.filter(booking=booking).exists():
        raise ValidationError(_("This booking already has a pre-review application."), code="booking_taken")
    application = application_start(
        user=user,
        business_type_code=booking.business_type.code,
        child_id=booking.person_id,
        station_id=booking.station_id,
    )
    return _tie(application, booking)


def booking_follow_move(*, old: Booking, new: Booking) -> None:
    """``booking_moved`` receiver: the application tied to the old booking follows the new one
    (in the reschedule's transaction)."""
    Application.objects.filter(booking=old).update(booking=new)


@transaction.atomic
def application_receive_from_ticket(*, actor, ticket_id: int) -> Case:
    """Finishing a ticket whose booking has an application: the case is received from the
    application (``application_to_case``: applicant, child, answers, nothing retyped) and the
    ticket remembers it (``ticket_case_link``); if the application was already received, its
    case is linked to the ticket. One transaction: either both remember, or nothing changes."""
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("booking").filter(pk=ticket_id).first()
    if ticket is None or not can_see_station(actor, ticket.station_id):
        raise ValidationError(_("Ticket not found at your station."), code="not_found")
    application = Application.objects.filter(booking_id=ticket.booking_id).first() if ticket.booking_id else None
    if application is None:
        raise ValidationError(_("This visit has no pre-review application."), code="no_application")
    if ticket.status != Ticket.Status.DONE or ticket.served_by_id != actor.pk:
        raise ValidationError(
            _("Only the clerk who served the ticket can receive its case, after finishing it."), code="not_owner"
        )
    if ticket.case_id is not None:
        raise ValidationError(_("This ticket already has its case."), code="already_case")
    if application.case_id is None:
        number = ticket.number
        case = application_to_case(
            actor=actor,
            application_id=application.pk,
            note=_("Received from online application %(id)s at ticket %(number)s")
            % {"id": application.pk, "number": number},
        )
    else:
        case = application.case
    ticket_case_link(actor=actor, ticket_id=ticket.pk, case_id=case.pk)
    return case
