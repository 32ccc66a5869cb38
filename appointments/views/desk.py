"""Station pages: the kiosk (排号机) and clerk's check-in desk, the printed ticket, the window
console, proxy bookings (帮办代办) and the rating tablet (评价器)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments.forms import CheckInForm, ProxyBookingForm, RatingForm, TransferForm, WalkInForm
from appointments.models import Ticket, Window
from appointments.policy import KIOSK_ROLES, WINDOW_ROLES
from appointments.selectors.availability import slots_available
from appointments.selectors.materials import materials_for_ticket, ticket_case_receive_action
from appointments.selectors.queue import (
    bookings_running_late,
    console_queue,
    no_show_grace_remaining,
    ticket_status,
)
from appointments.services import queue as queue_services
from appointments.services.booking import booking_create_proxy
from appointments.services.feedback import rating_create
from appointments.views.parent import qr_svg
from common.http import client_address
from common.permissions import role_required
from common.ratelimit import client_ip, rate_allowed
from hukou.models import AccessLog, BusinessType
from hukou.services.access import access_log_record


@role_required(*KIOSK_ROLES)
def kiosk(request):
    """Check in by booking code, QR scan or ID number; or take a walk-in ticket."""
    checkin, walkin = CheckInForm(prefix="c"), WalkInForm(prefix="w")
    if request.method == "POST":
        allowed, _wait = rate_allowed(scope="checkin", key=f"ip:{client_ip(request)}")
        if not allowed:
            messages.error(request, _("Too many requests; please wait and try again."))
            return redirect("appointments:kiosk")
        is_walk_in = "walk_in" in request.POST
        form = WalkInForm(request.POST, prefix="w") if is_walk_in else CheckInForm(request.POST, prefix="c")
        if form.is_valid():
            try:
                ticket = _issue(request, form, is_walk_in)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not is_walk_in:
                    # A booking found by its code or the applicant's ID number: a lookup of a
                    # resident's booking, logged under the desk's station (the number masked).
                    asked = form.cleaned_data["code"] or form.cleaned_data["id_number"]
                    access_log_record(
                        actor=request.user,
                        client_address=client_address(request),
                        action=AccessLog.Action.LOOKUP,
                        target=f"ticket:{ticket.pk}:checkin:{asked}",
                        purpose="预约签到",
                    )
                return redirect("appointments:ticket_print", pk=ticket.pk)
        checkin, walkin = (checkin, form) if is_walk_in else (form, walkin)
    return render(request, "appointments/kiosk.html", {"checkin": checkin, "walkin": walkin})


def _issue(request, form, is_walk_in: bool) -> Ticket:
    data = form.cleaned_data
    if is_walk_in:
        return queue_services.ticket_walk_in(
            station_id=request.user.station_id, business_type_id=data["business_type"].pk, priority=data["priority"]
        )
    return queue_services.ticket_check_in(
        station_id=request.user.station_id, code=data["code"], id_number=data["id_number"], priority=data["priority"]
    )


@role_required(*WINDOW_ROLES)
def desk_checkin(request):
    """The clerk's check-in desk: the same check-in as the kiosk, then the ticket with the
    visitor's materials state (from a provider) and a link to its review, before printing."""
    form = CheckInForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid():
        try:
            ticket = _issue(request, form, is_walk_in=False)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("appointments:desk_ticket", pk=ticket.pk)
    return render(request, "appointments/desk_checkin.html", {"checkin": form}, status=400 if form.errors else 200)


@role_required(*WINDOW_ROLES)
def desk_ticket(request, pk: int):
    """The ticket just issued at the desk, as the clerk sees it: number, applicant (masked by
    role), the materials state with a link to its review screen, print."""
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("business_type", "station", "booking"), pk=pk
    )
    if ticket.applicant_id_number:
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=f"ticket:{ticket.pk}",
            purpose="现场取号",
        )
    context = {
        "ticket": ticket,
        "status": ticket_status(ticket=ticket),
        "materials": materials_for_ticket(ticket=ticket, user=request.user),
    }
    return render(request, "appointments/desk_ticket.html", context)


@role_required(*KIOSK_ROLES)
def ticket_print(request, pk: int):
    """The 80 mm receipt: number, business, people ahead, QR code of the phone page."""
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("business_type", "station"), pk=pk
    )
    phone_url = settings.SITE_URL + reverse("appointments:ticket_page", args=[ticket.token])
    context = {
        "ticket": ticket,
        "status": ticket_status(ticket=ticket),
        "qr": qr_svg(phone_url),
        "phone_url": phone_url,
    }
    return render(request, "appointments/ticket_print.html", context)


def _windows(user):
    return Window.objects.visible_to(user).filter(is_open=True).order_by("number")


@role_required(*WINDOW_ROLES)
def console(request, window_id: int | None = None):
    """The window clerk's console (keyboard: N call next, R recall, S start, F finish, X no-show)."""
    windows = list(_windows(request.user))
    if window_id is None:
        if not windows:
            return render(request, "appointments/console.html", {"windows": windows})
        return redirect("appointments:console_window", window_id=windows[0].pk)
    window = get_object_or_404(Window.objects.visible_to(request.user), pk=window_id)
    queue = console_queue(window=window)
    # The console shows the current applicant (name, ID number) and the names of those waiting:
    # logged on every view, under the window's station.
    current = queue["current"]
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"ticket:{current.pk}" if current is not None else f"window:{window.pk}:queue",
        purpose="窗口叫号",
    )
    context = {
        "window": window,
        "windows": windows,
        **queue,
        "transfer_form": TransferForm(),
        "grace": settings.QUEUE_NO_SHOW_GRACE_SECONDS,
        "grace_remaining": no_show_grace_remaining(ticket=queue["current"]),
        "running_late": bookings_running_late(station_id=window.station_id),
        "business_types": BusinessType.objects.filter(is_active=True),
        "current_materials": materials_for_ticket(ticket=queue["current"], user=request.user),
    }
    return render(request, "appointments/console.html", context)


ACTIONS = {
    "recall": lambda user, ticket_id, post: queue_services.ticket_recall(actor=user, ticket_id=ticket_id),
    "start": lambda user, ticket_id, post: queue_services.ticket_start(actor=user, ticket_id=ticket_id),
    "finish": lambda user, ticket_id, post: queue_services.ticket_finish(actor=user, ticket_id=ticket_id),
    "no_show": lambda user, ticket_id, post: queue_services.ticket_no_show(actor=user, ticket_id=ticket_id),
    "transfer": lambda user, ticket_id, post: queue_services.ticket_transfer(
        actor=user,
        ticket_id=ticket_id,
        window_id=int(post["window"]) if post.get("window", "").isdigit() else None,
        business_type_id=int(post["business_type"]) if post.get("business_type", "").isdigit() else None,
    ),
}


@role_required(*WINDOW_ROLES)
@require_POST
def console_action(request, window_id: int, action: str):
    window = get_object_or_404(Window.objects.visible_to(request.user), pk=window_id)
    try:
        if action == "call_next":
            ticket = queue_services.ticket_call_next(actor=request.user, window_id=window.pk)
            if ticket is None:
                messages.info(request, _("Nobody is waiting for this window."))
        elif action in ACTIONS:
            ticket = ACTIONS[action](request.user, int(request.POST.get("ticket", "0") or 0), request.POST)
            if action == "finish":
                return redirect("appointments:ticket_done", pk=ticket.pk)
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("appointments:console_window", window_id=window.pk)


@role_required(*WINDOW_ROLES)
def ticket_done(request, pk: int):
    """After finishing: receive a case with the applicant pre-filled, or call the next."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user).select_related("business_type", "window"), pk=pk)
    back = reverse("appointments:ticket_case_return", args=[ticket.pk])
    query = urlencode(
        {
            "applicant_name": ticket.applicant_name,
            "applicant_id_number": ticket.applicant_id_number,
            "applicant_phone": ticket.applicant_phone,
            "return_to": back,
        }
    )
    receive_url = reverse("hukou:case_receive", args=[ticket.business_type.code]) + "?" + query
    context = {
        "ticket": ticket,
        "receive_url": receive_url,
        # A materials provider (documents) may receive the case from what it already holds.
        "receive_action": ticket_case_receive_action(ticket=ticket, user=request.user),
        "materials": materials_for_ticket(ticket=ticket, user=request.user),
    }
    return render(request, "appointments/ticket_done.html", context)


@role_required(*WINDOW_ROLES)
def ticket_case_return(request, pk: int):
    """hukou's receive page comes back here with ``?case=<id>``: the ticket remembers its case."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=pk)
    case_id = request.GET.get("case", "")
    if case_id.isdigit():
        try:
            queue_services.ticket_case_link(actor=request.user, ticket_id=ticket.pk, case_id=int(case_id))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            return redirect("hukou:case_detail", pk=int(case_id))
    return (
        redirect("appointments:console_window", window_id=ticket.window_id)
        if ticket.window_id
        else redirect("appointments:console")
    )


@role_required(*WINDOW_ROLES)
def proxy_booking(request):
    """帮办代办: a clerk books a time at their station for someone without a phone."""
    form = ProxyBookingForm(request.POST or None)
    business_type = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_create_proxy(
                clerk=request.user,
                slot_id=data["slot"],
                business_type_id=data["business_type"].pk,
                applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"],
                applicant_phone=data["applicant_phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "appointments/proxy_done.html", {"booking": booking, "qr": qr_svg(booking.code)})
    business_id = request.GET.get("business_type") or request.POST.get("business_type")
    if business_id and str(business_id).isdigit():
        business_type = BusinessType.objects.filter(pk=business_id).first()
    slots = (
        slots_available(station_id=request.user.station_id, business_type_id=business_type.pk) if business_type else []
    )
    context = {"form": form, "slots": slots, "business_type": business_type}
    return render(request, "appointments/proxy_booking.html", context, status=400 if form.errors else 200)


@role_required(*KIOSK_ROLES)
def rating_tablet(request, window_id: int):
    """评价器: the tablet at the window rates the ticket this window served last."""
    window = get_object_or_404(Window.objects.visible_to(request.user), pk=window_id)
    ticket = (
        Ticket.objects.filter(window=window, status=Ticket.Status.DONE, rating__isnull=True)
        .order_by("-finished_at")
        .first()
    )
    form = RatingForm(request.POST or None)
    if request.method == "POST" and ticket is not None and form.is_valid():
        try:
            rating_create(ticket=ticket, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("appointments:rating_tablet", window_id=window.pk)
    return render(request, "appointments/rating_tablet.html", {"window": window, "ticket": ticket, "form": form})
