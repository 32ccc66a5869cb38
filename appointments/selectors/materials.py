"""What to bring, per business type (shown on the confirmation and the printed slip).

A starting list kept here until materials pre-review (documents/) owns checklists; it reads the
business code only, so replacing it later touches this module alone."""

from django.utils.translation import gettext_lazy as _

COMMON = [_("Resident ID card of the applicant"), _("Household register booklet (户口簿)")]
BY_CODE = {
    "birth": [_("Birth medical certificate (出生医学证明)"), _("Parents' marriage certificate")],
    "move_in": [_("Migration certificate or proof of housing"), _("Recent photo")],
    "id_card": [_("Recent photo (or take one at the window)")],
    "school_certificate": [_("The child's household register page"), _("Proof of residence at the address")],
}


def materials_for(*, business_code: str) -> list[str]:
    return [*COMMON, *BY_CODE.get(business_code, [])]
