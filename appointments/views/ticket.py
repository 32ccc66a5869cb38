"""The visitor's own ticket on the phone (by the ticket's secret token, from the QR on the
printed ticket or from "my bookings"): live position, then rating and 办不成事 report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from appointments.forms import FollowUpForm, RatingForm
from appointments.models import FollowUp, Ticket
from appointments.selectors.queue import ticket_status
from appointments.services.feedback import follow_up_open, rating_create


def _ticket(token: str) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("station", "window", "business_type"), token=token)


def ticket_page(request, token: str):
    """Number, people ahead, estimated wait and "your turn", updated live over a websocket."""
    ticket = _ticket(token)
    context = {
        "ticket": ticket,
        "status": ticket_status(ticket=ticket),
        "rating_form": RatingForm(),
        "rated": hasattr(ticket, "rating"),
        "follow_ups": FollowUp.objects.filter(ticket=ticket),
    }
    return render(request, "appointments/ticket_phone.html", context)


def ticket_rate(request, token: str):
    ticket = _ticket(token)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_create(ticket=ticket, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("appointments:ticket_page", token=ticket.token)
    messages.error(request, _("Choose 1 to 5 stars."))
    return redirect("appointments:ticket_page", token=ticket.token)


def ticket_report(request, token: str):
    """办不成事: what could not be done; the station admin must answer by the deadline."""
    ticket = _ticket(token)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_open(
                station_id=ticket.station_id,
                ticket=ticket,
                text=form.cleaned_data["text"],
                phone=form.cleaned_data["phone"],
                reporter=request.user if request.user.is_authenticated else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your report was sent to the station; you will get an answer."))
            return redirect("appointments:ticket_page", token=ticket.token)
    return render(request, "appointments/followup_new.html", {"ticket": ticket, "form": form})
