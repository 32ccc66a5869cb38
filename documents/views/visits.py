"""Where booking and pre-review meet: the parent ties an application to a visit (from the
booking confirmation or from the application page); the clerk receives the case from a
finished ticket's application."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments.models import Booking, Ticket
from common.permissions import role_required
from documents.policy import PARENT, WINDOW
from documents.selectors import application_detail
from documents.services.visits import (
    application_receive_from_ticket,
    application_start_for_booking,
    application_tie_booking,
)
from documents.views import message_error


@role_required(*PARENT)
@require_POST
def visit_start(request, code: str):
    """From the booking confirmation: start the pre-review for this visit."""
    get_object_or_404(Booking.objects.filter(account=request.user), code=code)  # another's booking: 404
    try:
        application = application_start_for_booking(user=request.user, booking_code=code)
    except ValidationError as error:
        message_error(request, error)
        return redirect("appointments:booking_detail", code=code)
    messages.success(request, _("Pre-review started for booking %(code)s.") % {"code": code})
    return redirect("documents:questions", pk=application.pk)


@role_required(*PARENT)
@require_POST
def visit_tie(request, code: str):
    """From the booking confirmation: continue an open application for this visit."""
    get_object_or_404(Booking.objects.filter(account=request.user), code=code)  # another's booking: 404
    application_id = request.POST.get("application", "")
    try:
        application_tie_booking(
            user=request.user, application_id=int(application_id) if application_id.isdigit() else 0, booking_code=code
        )
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, _("The booking now shows this pre-review."))
    return redirect("appointments:booking_detail", code=code)


@role_required(*PARENT)
def visit_book(request, pk: int):
    """From the application page: book a visit for it. The booking page of appointments (its
    409s, rate limit and identity checks) does the booking and comes back to ``visit_return``."""
    application = application_detail(user=request.user, application_id=pk)
    query = {
        "business_type": application.checklist.business_type_id,
        "station": application.station_id,
        "person": application.child_id or "self",
        "return_to": reverse("documents:visit_return", args=[application.pk]),
    }
    return redirect(f"{reverse('appointments:booking_slots')}?{urlencode(query)}")


@role_required(*PARENT)
def visit_return(request, pk: int):
    """Back from booking (``?booking=<code>``): confirm the tie with one button (a POST, so no
    link can tie things behind the parent's back)."""
    application = application_detail(user=request.user, application_id=pk)
    code = (request.POST.get("booking") or request.GET.get("booking") or "").strip()
    if request.method == "POST":
        try:
            application_tie_booking(user=request.user, application_id=application.pk, booking_code=code)
        except ValidationError as error:
            message_error(request, error)
            return redirect("documents:application", pk=application.pk)
        messages.success(request, _("The booking now shows this pre-review."))
        return redirect("appointments:booking_detail", code=code)
    return render(request, "documents/visit_return.html", {"application": application, "code": code})


@role_required(*WINDOW)
@require_POST
def ticket_receive(request, ticket_id: int):
    """After finishing a ticket: the case from the application, remembered by the ticket."""
    get_object_or_404(Ticket.objects.visible_to(request.user), pk=ticket_id)  # another station's: 404
    try:
        case = application_receive_from_ticket(actor=request.user, ticket_id=ticket_id)
    except ValidationError as error:
        message_error(request, error)
        return redirect("appointments:ticket_done", pk=ticket_id)
    messages.success(request, _("Case %(number)s received from the online application.") % {"number": case.number})
    return redirect("documents:review", pk=case.material_application.pk)
