"""Reads of certificates: the PDF, the verification URL, the public masked view."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from common.idnumber import mask_id_number
from common.pdf import qr_png_data_uri, render_html_pdf
from common.text import mask_name
from hukou.models import Case, Certificate, Person

TITLES = {
    Certificate.Kind.HUKOU: "户籍证明",
    Certificate.Kind.ENROLMENT: "入学户籍证明",
    Certificate.Kind.REGISTER_EXTRACT: "常住人口登记卡",
}


def certificate_verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("verify:certificate", args=[certificate.token])


def certificate_html(certificate: Certificate, *, masked: bool = False) -> str:
    """The certificate's HTML, from its snapshot (what was true at issue). With ``masked``
    (users outside ``hukou.policy.FULL_ID_ROLES``, e.g. auxiliary clerks) every ID number in it
    is masked."""
    url = certificate_verify_url(certificate)
    context = {
        "certificate": certificate,
        "data": _masked_snapshot(certificate.snapshot) if masked else certificate.snapshot,
        "title": TITLES[certificate.kind],
        "verify_url": url,
        "qr": qr_png_data_uri(url),
    }
    return render_to_string(f"hukou/certificates/{certificate.kind}.html", context)


def certificate_pdf(certificate: Certificate, *, masked: bool = False) -> bytes:
    """The PDF of the certificate, rendered from its snapshot (what was true at issue)."""
    return render_html_pdf(certificate_html(certificate, masked=masked))


def _masked_snapshot(snapshot: dict) -> dict:
    def person(data: dict) -> dict:
        return {**data, "id_number": mask_id_number(data.get("id_number") or None)}

    data = {**snapshot, "person": person(snapshot.get("person", {}))}
    if "members" in snapshot:
        data["members"] = [person(member) for member in snapshot["members"]]
    return data


def certificate_public_view(certificate: Certificate) -> dict:
    """The only data the public verification page and API may show."""
    person = certificate.snapshot.get("person", {})
    return {
        "status": certificate.status,
        "status_display": certificate.get_status_display(),
        "kind": TITLES[certificate.kind],
        "serial": certificate.serial,
        "issued_on": certificate.issued_on.isoformat(),
        "station": certificate.snapshot.get("station", {}).get("name", ""),
        "name": mask_name(person.get("name", "")),
        "id_number": mask_id_number(person.get("id_number") or None),
    }


def certificate_person(*, user, person_id: int) -> Person | None:
    """The person a certificate is to be issued for, if the user may see them (one query)."""
    return Person.objects.visible_to(user).select_related("household").filter(pk=person_id).first()


def certificate_cases(*, user, person: Person):
    """The person's completed cases at the user's station, which a certificate may cite."""
    return Case.objects.visible_to(user).filter(person=person, status=Case.Status.COMPLETED)


def person_certificates(*, user, person: Person):
    """Certificates already issued for the person that the user may see, with the issuer."""
    return Certificate.objects.visible_to(user).filter(person=person).select_related("issued_by")


def certificate_by_token(*, token: str) -> Certificate | None:
    """The certificate a QR code names, for the public verification (one indexed lookup)."""
    return Certificate.objects.filter(token=token[:64]).first()
