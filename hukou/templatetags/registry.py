"""Template helpers of the registry pages."""

from django import template

from common.idnumber import mask_id_number
from hukou.policy import FULL_ID_ROLES

register = template.Library()


@register.filter
def id_for(number: str | None, user) -> str:
    """The ID number as ``user`` may see it: in full for FULL_ID_ROLES, masked for everyone else
    (auxiliary clerks included)."""
    if not number:
        return "—"
    if getattr(user, "role", None) in FULL_ID_ROLES:
        return number
    return mask_id_number(number)
