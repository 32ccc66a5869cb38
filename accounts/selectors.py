from django.db.models import Q

from common.roles import Role
from hukou.models import Person


def children_of_parent(*, user):
    """Active persons in the registry whose father, mother or current guardian is this parent.

    Matching is by the parent's bound ID number, the only identity a parent has proven.
    """
    if user.role != Role.PARENT or not user.id_number:
        return Person.objects.none()
    number = user.id_number
    is_child_of = (
        Q(father__id_number=number)
        | Q(mother__id_number=number)
        | Q(guardianships__guardian__id_number=number, guardianships__valid_until__isnull=True)
    )
    return (
        Person.objects.active()
        .filter(is_child_of)
        .select_related("household__address__community")
        .distinct()
        .order_by("birth_date")
    )
