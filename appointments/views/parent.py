"""Phone-sized pages for parents: book, see the confirmation, cancel or move, follow a ticket."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments.errors import SlotFull
from appointments.forms import BookForm, BusinessStationForm
from appointments.models import Booking, FollowUp, Slot, Ticket
from appointments.policy import PARENT_ROLES
from appointments.selectors.availability import (
    booking_change_deadline,
    bookings_of_account,
    slots_available,
    slots_by_day,
    slots_next_free,
    suspension_current,
)
from appointments.selectors.materials import materials_for_booking
from appointments.services import booking as booking_services
from appointments.services.lateness import booking_running_late, running_late_allowed
from common.permissions import role_required
from common.ratelimit import rate_allowed
from hukou.selectors.parents import children_of_parent, parent_identity_confirmed


@role_required(*PARENT_ROLES)
def booking_home(request):
    """Start: my bookings, my suspension (with dates), and the choice of business and station."""
    form = BusinessStationForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect(
            f"{reverse('appointments:booking_slots')}?business_type={form.cleaned_data['business_type'].pk}"
            f"&station={form.cleaned_data['station'].pk}"
        )
    context = {
        "form": form,
        "bookings": bookings_of_account(account=request.user),
        "suspension": suspension_current(account=request.user),
        "confirmed": parent_identity_confirmed(user=request.user),
        "follow_ups": FollowUp.objects.filter(reporter=request.user).order_by("-created_at")[:10],
    }
    return render(request, "appointments/booking_home.html", context)


def _slot_context(request, form):
    business_type, station = form.cleaned_data["business_type"], form.cleaned_data["station"]
    slots = slots_available(station_id=station.pk, business_type_id=business_type.pk)
    confirmed = parent_identity_confirmed(user=request.user)
    return {
        "business_type": business_type,
        "station": station,
        "days": slots_by_day(slots),
        "confirmed": confirmed,
        "children": list(children_of_parent(user=request.user)) if confirmed else [],
        "horizon": settings.BOOKING_HORIZON_DAYS,
        "release_hour": settings.BOOKING_RELEASE_HOUR,
        "return_to": _return_to(request),
        "for_person": (request.GET.get("person") or request.POST.get("applicant") or "self"),
    }


def _return_to(request) -> str:
    """Another page may send the parent here to book and get the booking back (``?booking=``),
    as hukou's receive page does with ``return_to``: only a local path is followed."""
    value = request.GET.get("return_to") or request.POST.get("return_to") or ""
    ok = value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    return value if ok else ""


@role_required(*PARENT_ROLES)
def booking_slots(request):
    """The next days' availability (full slots greyed out) and the booking form."""
    form = BusinessStationForm(request.GET or request.POST or None)
    if not form.is_valid():
        return redirect("appointments:booking_home")
    context = _slot_context(request, form)
    if request.method == "POST":
        return _book(request, context)
    return render(request, "appointments/booking_slots.html", context)


def _book(request, context):
    book = BookForm(request.POST)
    allowed, _wait = rate_allowed(scope="booking", key=f"user:{request.user.pk}")
    if not allowed:
        context["error"] = _("Too many requests; please wait and try again.")
        return render(request, "appointments/booking_slots.html", context, status=429)
    if not book.is_valid():
        context["error"] = _("Choose a time and who the booking is for.")
        return render(request, "appointments/booking_slots.html", context, status=400)
    try:
        booking = booking_services.booking_create(
            account=request.user,
            slot_id=book.cleaned_data["slot"],
            business_type_id=context["business_type"].pk,
            person_id=book.person_id(),
        )
    except SlotFull as exc:
        slot = Slot.objects.filter(pk=book.cleaned_data["slot"]).first()
        context["error"] = exc.messages[0]
        context["next_free"] = slots_next_free(slot=slot, business_type_id=context["business_type"].pk) if slot else []
        return render(request, "appointments/booking_slots.html", context, status=409)
    except ValidationError as exc:
        context["error"] = exc.messages[0]
        return render(request, "appointments/booking_slots.html", context, status=400)
    messages.success(request, _("Booked. Your booking code is %(code)s.") % {"code": booking.code})
    if context["return_to"]:
        return redirect(f"{context['return_to']}?{urlencode({'booking': booking.code})}")
    return redirect("appointments:booking_detail", code=booking.code)


def _own_booking(request, code: str) -> Booking:
    bookings = Booking.objects.select_related("slot", "station", "business_type", "proxy_by")
    return get_object_or_404(bookings.filter(account=request.user), code=code)


def qr_svg(text: str) -> str:
    # A regular QR code (segno.make would pick a Micro QR for a short code, which WeChat and most
    # phone scanners cannot read); a viewBox and no fixed size: the stylesheet sizes it.
    return segno.make_qr(text, error="m").svg_inline(scale=5, dark="#111", omitsize=True)


@role_required(*PARENT_ROLES)
def booking_detail(request, code: str):
    """The confirmation: code, QR code, time, station address and hours, what to bring (the
    parent's own pre-review state when a materials provider answers, see
    ``selectors.materials``); the same page prints as the slip (print stylesheet)."""
    booking = _own_booking(request, code)
    context = {
        "booking": booking,
        "qr": qr_svg(booking.code),
        "materials": materials_for_booking(booking=booking, user=request.user),
        "ticket": Ticket.objects.filter(booking=booking).first(),
        "cutoff_hours": settings.BOOKING_CANCEL_CUTOFF_HOURS,
        # Past the cutoff the buttons would only lead to a refusal: say so instead.
        "changes_open": timezone.now() <= booking_change_deadline(booking=booking),
        "running_late_allowed": running_late_allowed(booking),
    }
    return render(request, "appointments/booking_detail.html", context)


@role_required(*PARENT_ROLES)
@require_POST
def booking_cancel(request, code: str):
    booking = _own_booking(request, code)
    try:
        booking_services.booking_cancel(actor=request.user, booking_id=booking.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Booking %(code)s cancelled.") % {"code": booking.code})
    return redirect("appointments:booking_detail", code=booking.code)


@role_required(*PARENT_ROLES)
@require_POST
def booking_late(request, code: str):
    """ "I'm running late": the station is told (within the booking's check-in window)."""
    booking = _own_booking(request, code)
    try:
        booking_running_late(actor=request.user, booking_id=booking.pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The station knows you are running late. Your booking is kept."))
    return redirect("appointments:booking_detail", code=booking.code)


@role_required(*PARENT_ROLES)
def booking_reschedule(request, code: str):
    """Choose another time for the same business at the same station."""
    booking = _own_booking(request, code)
    slots = slots_available(station_id=booking.station_id, business_type_id=booking.business_type_id)
    context = {"booking": booking, "days": slots_by_day(slots)}
    if request.method == "POST":
        try:
            new = booking_services.booking_reschedule(
                actor=request.user, booking_id=booking.pk, slot_id=int(request.POST.get("slot", "0") or 0)
            )
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            return render(request, "appointments/booking_reschedule.html", context, status=400)
        messages.success(request, _("Moved. Your new booking code is %(code)s.") % {"code": new.code})
        return redirect("appointments:booking_detail", code=new.code)
    return render(request, "appointments/booking_reschedule.html", context)
