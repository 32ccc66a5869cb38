"""Issuing, logging and revoking certificates.

Idempotent by construction: the case row (or the person row when there is no case) is locked
before looking for a valid certificate, so a double-clicked Print or two clerks at once get the
same certificate; partial unique constraints on ``Certificate`` are the database backstop.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from common.idnumber import mask_id_number
from common.roles import Role, has_role
from common.validators import validate_money
from hukou.codes import relationship_label
from hukou.models import AccessLog, Case, Certificate, CertificatePrint, CertificateSerial, Person
from hukou.policy import APPROVER_ROLES, CERTIFICATE_ISSUER_ROLES, STATION_STAFF_ROLES, station_check
from hukou.selectors.guardians import legal_guardians
from hukou.services.access import access_log_record

if TYPE_CHECKING:
    from hukou.policy import Actor

# Certificates are free or cost a few yuan; anything above this is a typing slip.
MAX_CERTIFICATE_FEE = Decimal("1000")

SERIAL_PREFIX = {
    Certificate.Kind.HUKOU: "HJ",
    Certificate.Kind.ENROLMENT: "RX",
    Certificate.Kind.REGISTER_EXTRACT: "DJ",
}


def _check_station_staff(actor: Actor, station_id: int, *, roles=STATION_STAFF_ROLES) -> None:
    message = _("Only staff of the person's station may issue this certificate.")
    if not has_role(actor, *roles):
        raise PermissionDenied(message)
    station_check(actor, station_id, message=message)


def _check_issuer(actor: Actor, station_id: int) -> None:
    """A certificate carries the full ID number, which auxiliary clerks never see
    (``hukou.policy.CERTIFICATE_ISSUER_ROLES``): they may hand certificates out, not issue them."""
    if has_role(actor, Role.AUX_CLERK):
        raise PermissionDenied(_("An auxiliary clerk may not issue certificates."))
    _check_station_staff(actor, station_id, roles=CERTIFICATE_ISSUER_ROLES)


def _check_case(case: Case, person: Person, kind: str) -> None:
    if case.status != Case.Status.COMPLETED:
        raise ValidationError(_("A certificate is issued only for a completed case."), code="case_not_completed")
    if case.business_type.certificate != kind:
        raise ValidationError(_("This case does not issue this kind of certificate."), code="case_wrong_kind")
    if case.person_id not in (None, person.pk) or case.station_id != person.household.station_id:
        raise ValidationError(_("This case belongs to another person or station."), code="case_other_person")


def _next_serial(*, station, kind: str, year: int) -> str:
    counter, _created = CertificateSerial.objects.get_or_create(station=station, year=year)
    counter = CertificateSerial.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{SERIAL_PREFIX[kind]}{year}-{station.code}-{counter.last_number:06d}"


def _person_data(person: Person) -> dict:
    return {
        "name": person.name,
        "former_names": person.former_names,
        "sex": person.get_sex_display(),
        "ethnicity": person.get_ethnicity_display(),
        "birth_date": person.birth_date.isoformat(),
        "id_number": person.id_number or "",
        "native_place": person.native_place,
        "relationship": person.get_relationship_display(),
        "registered_at_address_on": person.registered_at_address_on.isoformat(),
    }


def _guardians(person: Person) -> list[dict]:
    return [
        {"name": guardian.name, "relationship": relationship_label(code)} for guardian, code in legal_guardians(person)
    ]


def certificate_snapshot(*, person: Person, kind: str) -> dict:
    """The data printed on the certificate, frozen at issue."""
    household = person.household
    head = household.members.filter(status=Person.Status.ACTIVE, relationship="02").first()
    data = {
        "person": _person_data(person),
        "household": {
            "number": household.number,
            "kind": household.get_kind_display(),
            "address": household.address.full_text,
            "head": head.name if head else "",
        },
        "station": {"name": household.station.name, "code": household.station.code},
    }
    if kind == Certificate.Kind.ENROLMENT:
        data["guardians"] = _guardians(person)
    if kind == Certificate.Kind.REGISTER_EXTRACT:
        members = household.members.filter(status=Person.Status.ACTIVE).order_by("relationship", "birth_date")
        data["members"] = [_person_data(member) for member in members]
    return data


def _existing_valid(*, case, person, kind, today):
    valid = Certificate.objects.filter(kind=kind, status=Certificate.Status.VALID)
    if case is not None:
        return valid.filter(case=case).first()
    return valid.filter(person=person, case__isnull=True, issued_on=today).first()


@transaction.atomic
def certificate_issue(
    *, case: Case | None = None, person: Person, kind: str, actor: Actor, reissue_reason: str | None = None
) -> Certificate:
    """Issue a certificate, or return the valid one already issued.

    Locks the case row (or the person row without a case) first, so concurrent or repeated
    requests are serialised and the second one finds the first one's certificate. A reissue
    (``reissue_reason`` not None) needs a non-empty reason; the old certificate becomes
    superseded. The returned certificate carries ``was_issued_now``.
    Raises PermissionDenied (not staff of the person's station) and ValidationError (Chinese
    message, nothing written).
    """
    if kind not in SERIAL_PREFIX:
        raise ValidationError(_("Unknown certificate kind."), code="kind_unknown")
    if reissue_reason is not None and not reissue_reason.strip():
        raise ValidationError(_("A reissue needs a reason."), code="reissue_reason_missing")
    person = (
        Person.objects.select_for_update().select_related("household__station", "household__address").get(pk=person.pk)
    )
    _check_issuer(actor, person.household.station_id)
    if case is not None:
        case = Case.objects.select_for_update().select_related("business_type").get(pk=case.pk)
        _check_case(case, person, kind)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(_("Certificates are issued only for active residents."), code="person_not_active")
    today = timezone.localdate()
    existing = _existing_valid(case=case, person=person, kind=kind, today=today)
    if existing is not None and reissue_reason is None:
        existing.was_issued_now = False
        return existing
    if existing is not None:
        existing.status = Certificate.Status.SUPERSEDED
        existing.save(update_fields=["status"])
        update_change_reason(existing, f"补发: {reissue_reason.strip()}")
    certificate = _create(case=case, person=person, kind=kind, actor=actor, today=today)
    if reissue_reason is not None:
        certificate.reissue_of = existing
        certificate.reissue_reason = reissue_reason.strip()[:200]
        certificate.save(update_fields=["reissue_of", "reissue_reason"])
    certificate.was_issued_now = True
    return certificate


def _create(*, case, person, kind, actor: Actor, today) -> Certificate:
    station = person.household.station
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                serial=_next_serial(station=station, kind=kind, year=today.year),
                kind=kind,
                person=person,
                household=person.household,
                case=case,
                station=station,
                issued_by=actor,
                issued_on=today,
                snapshot=certificate_snapshot(person=person, kind=kind),
            )
    except IntegrityError:
        # Only reachable if some path issued without taking our lock: hand back its certificate.
        existing = _existing_valid(case=case, person=person, kind=kind, today=today)
        if existing is None:
            raise
        return existing


@transaction.atomic
def certificate_record_print(
    *,
    certificate: Certificate,
    actor: Actor,
    collected_by_name: str,
    collected_by_id_number: str = "",
    id_checked: bool,
    fee: Decimal = Decimal("0"),
    request_key: str | None = None,
    client_address: str | None = None,
) -> CertificatePrint:
    """Append one issuance-log row and an access-log entry (action print).

    Idempotent per ``request_key``: a double-submitted form returns the first row. Refuses
    revoked or superseded certificates and a missing collector name.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _check_station_staff(actor, certificate.station_id)
    if request_key:
        earlier = CertificatePrint.objects.filter(request_key=request_key).first()
        if earlier is not None:
            return earlier
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be handed out."), code="certificate_not_valid")
    if not collected_by_name.strip():
        raise ValidationError(
            {"collected_by_name": _("Enter who collected the certificate.")}, code="collector_missing"
        )
    try:
        fee = validate_money(fee, maximum=MAX_CERTIFICATE_FEE)
    except ValidationError as exc:
        raise ValidationError({"fee": exc.messages}, code="fee_invalid") from exc
    row = CertificatePrint.objects.create(
        certificate=certificate,
        printed_by=actor,
        collected_by_name=collected_by_name.strip()[:64],
        collected_by_id_number=mask_id_number(collected_by_id_number.strip().upper()),
        id_checked=id_checked,
        fee=fee,
        request_key=request_key or None,
    )
    access_log_record(
        actor=actor,
        client_address=client_address,
        action=AccessLog.Action.PRINT,
        subject=certificate,
        purpose="证明发放",
    )
    return row


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: Actor, reason: str) -> Certificate:
    """Revoke a valid certificate with a reason (approver or station admin of its station)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    message = _("Only an approver of the issuing station may revoke a certificate.")
    if not has_role(actor, *APPROVER_ROLES):
        raise PermissionDenied(message)
    station_check(actor, certificate.station_id, message=message)
    if not reason.strip():
        raise ValidationError(_("A revocation needs a reason."), code="revoke_reason_missing")
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."), code="certificate_not_valid")
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_reason = reason.strip()[:200]
    certificate.save(update_fields=["status", "revoked_reason"])
    update_change_reason(certificate, f"撤销: {certificate.revoked_reason}")
    return certificate
