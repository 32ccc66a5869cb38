"""Registry reads for clerks: search and household lists, always scoped to the user."""

from django.db.models import Count, Q

from common.idnumber import normalize_id_number
from hukou.models import Household, Person


def household_list(*, user, query: str = ""):
    """Households the user may see, with member counts, optionally narrowed by a search term:
    an ID number (exact), a household number (prefix) or a member's name (contains)."""
    households = (
        Household.objects.visible_to(user)
        .select_related("address__community")
        .annotate(member_count=Count("members", filter=Q(members__status=Person.Status.ACTIVE)))
    )
    query = (query or "").strip()
    if query:
        number = normalize_id_number(query)
        households = households.filter(
            Q(number__startswith=query)
            | Q(members__id_number=number)
            | Q(members__name__contains=query)
            | Q(members__name_pinyin__startswith=query.lower())
        ).distinct()
    return households.order_by("number")
