"""Reads of certificates: the PDF, the verification URL, the public masked view."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from common.idnumber import mask_id_number
from common.pdf import qr_svg, render_html_pdf
from common.text import mask_name
from hukou.models import Certificate

TITLES = {
    Certificate.Kind.HUKOU: "户籍证明",
    Certificate.Kind.ENROLMENT: "入学户籍证明",
    Certificate.Kind.REGISTER_EXTRACT: "常住人口登记卡",
}


def certificate_verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("verify:certificate", args=[certificate.token])


def certificate_html(certificate: Certificate) -> str:
    """The certificate's HTML, from its snapshot (what was true at issue)."""
    url = certificate_verify_url(certificate)
    context = {
        "certificate": certificate,
        "data": certificate.snapshot,
        "title": TITLES[certificate.kind],
        "verify_url": url,
        "qr": qr_svg(url),
    }
    return render_to_string(f"hukou/certificates/{certificate.kind}.html", context)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF of the certificate, rendered from its snapshot (what was true at issue)."""
    return render_html_pdf(certificate_html(certificate))


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
