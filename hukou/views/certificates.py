"""Issuing and handing out certificates (staff), and the public verification page."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.http import client_address
from common.permissions import role_required
from common.ratelimit import client_ip, rate_allowed
from hukou.models import AccessLog, Certificate
from hukou.policy import APPROVER_ROLES, CERTIFICATE_ISSUER_ROLES, FULL_ID_ROLES, STATION_STAFF_ROLES
from hukou.selectors.certificates import (
    certificate_by_token,
    certificate_cases,
    certificate_pdf,
    certificate_person,
    certificate_public_view,
    person_certificates,
)
from hukou.selectors.lookup import visible_or_404
from hukou.services.access import access_log_record
from hukou.services.certificates import certificate_issue, certificate_record_print, certificate_revoke


@role_required(*sorted(CERTIFICATE_ISSUER_ROLES))
def certificate_new(request, person_id: int):
    """GET: choose the kind (and case); POST: issue, idempotently, then show the certificate."""
    person = certificate_person(user=request.user, person_id=person_id)
    if person is None:
        raise Http404
    cases = certificate_cases(user=request.user, person=person)
    if request.method == "POST":
        case_id = request.POST.get("case", "")
        if case_id and not (case_id.isascii() and case_id.isdigit()):
            raise Http404
        case = get_object_or_404(cases, pk=case_id) if case_id else None
        reissue = request.POST.get("reissue") == "1"
        try:
            certificate = certificate_issue(
                case=case,
                person=person,
                kind=request.POST.get("kind", ""),
                actor=request.user,
                reissue_reason=request.POST.get("reissue_reason", "") if reissue else None,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if not certificate.was_issued_now:
                messages.info(request, _("This certificate was already issued; showing it instead of a second one."))
            return redirect("hukou:certificate_detail", pk=certificate.pk)
    if request.method == "GET":
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=person,
            purpose="出具证明",
        )
    existing = person_certificates(user=request.user, person=person)
    context = {
        "person": person,
        "cases": cases,
        "kinds": Certificate.Kind.choices[1:],
        "certificates": existing,
        # Preselected when coming from a completed case ("issue the certificate" button).
        "selected_kind": request.GET.get("kind", ""),
        "selected_case": request.GET.get("case", ""),
    }
    return render(request, "hukou/certificate_new.html", context)


@role_required(*STATION_STAFF_ROLES)
def certificate_detail(request, pk: int):
    certificate = visible_or_404(
        Certificate,
        user=request.user,
        pk=pk,
        related=(
            "person",
            "station",
            "issued_by",
        ),
    )
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=certificate,
        purpose="证明查看",
    )
    prints = certificate.prints.select_related("printed_by")
    context = {"certificate": certificate, "prints": prints, "request_key": uuid.uuid4().hex}
    return render(request, "hukou/certificate_detail.html", context)


@role_required(*STATION_STAFF_ROLES)
def certificate_download(request, pk: int):
    """The PDF, for staff of the issuing station only; every download is access-logged."""
    certificate = visible_or_404(Certificate, user=request.user, pk=pk, related=("person",))
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.PRINT,
        subject=certificate,
        purpose="打印证明",
    )
    masked = request.user.role not in FULL_ID_ROLES
    response = HttpResponse(certificate_pdf(certificate, masked=masked), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(*STATION_STAFF_ROLES)
def certificate_print_record(request, pk: int):
    certificate = visible_or_404(Certificate, user=request.user, pk=pk)
    try:
        fee = Decimal(request.POST.get("fee") or "0")
    except InvalidOperation:
        fee = Decimal("-1")
    try:
        certificate_record_print(
            certificate=certificate,
            actor=request.user,
            collected_by_name=request.POST.get("collected_by_name", ""),
            collected_by_id_number=request.POST.get("collected_by_id_number", ""),
            id_checked=request.POST.get("id_checked") == "on",
            fee=fee,
            request_key=request.POST.get("request_key") or None,
            client_address=client_address(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Handover recorded."))
    return redirect("hukou:certificate_detail", pk=certificate.pk)


@require_POST
@role_required(*APPROVER_ROLES)
def certificate_revoke_view(request, pk: int):
    certificate = visible_or_404(Certificate, user=request.user, pk=pk)
    try:
        certificate_revoke(certificate=certificate, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("hukou:certificate_detail", pk=certificate.pk)


@never_cache
def certificate_verify(request, token: str):
    """Public, no login: authenticity and minimal masked data. An unknown (forged, mistyped)
    token gets the same page saying the certificate is not valid, through the same single
    indexed lookup, so timing does not tell near-misses apart."""
    allowed, _wait = rate_allowed(scope="verify", key=f"ip:{client_ip(request)}")
    if not allowed:
        return HttpResponse(_("Too many requests; please wait and try again."), status=429)
    certificate = certificate_by_token(token=token)
    view = certificate_public_view(certificate) if certificate is not None else {"status": "unknown"}
    if certificate is not None:
        # The public sees a masked name and the status; still a view of a resident's data, logged
        # under the issuing station (no user: the public is nobody's account).
        access_log_record(
            actor=None,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=f"verify:{certificate.serial}",
            purpose="证明公开核验",
            person=certificate.person,
            station_id=certificate.station_id,
        )
    # 404 still (nothing was found), but the page is the verification page, not "page not found".
    status = 200 if certificate is not None else 404
    response = render(request, "hukou/certificate_verify.html", {"view": view}, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
