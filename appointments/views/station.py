"""The station admin's lists: bookings flagged by a rule change, and 办不成事 follow-ups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.forms import AnswerForm
from appointments.models import Booking, FollowUp
from appointments.policy import STATION_ADMIN_ROLES
from appointments.services.feedback import follow_up_answer
from common.http import client_address
from common.permissions import role_required
from hukou.models import AccessLog
from hukou.services.access import access_log_record


@role_required(*STATION_ADMIN_ROLES)
def station_desk(request):
    flagged = (
        Booking.objects.visible_to(request.user)
        .active()
        .filter(flagged_at__isnull=False)
        .select_related("slot", "business_type")
        .order_by("slot__starts_at")
    )
    follow_ups = FollowUp.objects.visible_to(request.user).select_related("ticket").order_by("status", "due_on")[:100]
    # Applicants' names and phone numbers: a list view of personal data, logged.
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.SEARCH,
        target="bookings:flagged",
        purpose="预约调整及办不成事反映",
    )
    context = {"flagged": flagged, "follow_ups": follow_ups, "today": timezone.localdate()}
    return render(request, "appointments/station_desk.html", context)


@role_required(*STATION_ADMIN_ROLES)
def follow_up_detail(request, pk: int):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user).select_related("ticket"), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(actor=request.user, follow_up_id=follow_up.pk, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Answer sent."))
            return redirect("appointments:station_desk")
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"followup:{follow_up.pk}",
        purpose="办不成事反映",
    )
    return render(request, "appointments/followup_detail.html", {"follow_up": follow_up, "form": form})
