"""Why someone reads personal data: the purposes offered to clerks, as logged in the access log."""

from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "counter": _("Counter business"),
    "verify": _("Identity verification"),
    "certificate": _("Issuing a certificate"),
    "case": _("Case review"),
    "inquiry": _("Inquiry by another authority"),
}


def purpose_label(given: str | None, *, default: str = "counter") -> str:
    """A known code's label, else the text given (API clients may write their own), else the
    default code's label (or the default itself when it is free text)."""
    given = (given or "").strip() or default
    return str(PURPOSES.get(given, given))
