"""Reads of certificates: the PDF, the verification URL, the public masked view."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from common.idnumber import mask_id_number
from common.pdf import qr_svg, render_pdf
from common.text import mask_name
from hukou.models import Certificate

TITLES = {
    Certificate.Kind.HUKOU: "户籍证明",
    Certificate.Kind.ENROLMENT: "入学户籍证明",
    Certificate.Kind.REGISTER_EXTRACT: "常住人口登记卡",
}


def certificate_verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("verify:certificate", args=[certificate.token])


def certificate_pdf(certificate: Certificate, *, masked: bool = False) -> bytes:
    """The PDF of the certificate, rendered from its snapshot (what was true at issue). With
    ``masked`` (users outside common.roles.FULL_ID_ROLES, e.g. auxiliary clerks) every ID
    number in it is masked."""
    url = certificate_verify_url(certificate)
    context = {
        "certificate": certificate,
        "data": _masked_snapshot(certificate.snapshot) if masked else certificate.snapshot,
        "title": TITLES[certificate.kind],
        "verify_url": url,
        "qr": qr_svg(url),
    }
    return render_pdf(f"hukou/certificates/{certificate.kind}.html", context)


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
