"""What a parent (a citizen with an account) may see of the registry: their own children.

Kept in hukou, beside the registry it reads, so every app that serves parents (accounts'
"my family", booking for a child, materials pre-review for a child) asks the same question the
same way. hukou still imports no other app: the user is read only through ``role``,
``id_number`` and ``real_name``.
"""

from django.db.models import Q

from common.roles import Role
from hukou.models import Person


def parent_identity_confirmed(*, user) -> bool:
    """A parent's bound identity counts only when the registry knows an active person with that
    ID number AND that name: knowing somebody's ID number alone must not reveal their children."""
    if getattr(user, "role", None) != Role.PARENT or not user.id_number or not user.real_name:
        return False
    return Person.objects.active().filter(id_number=user.id_number, name=user.real_name).exists()


def children_of_parent(*, user):
    """Active persons in the registry whose father, mother or current guardian is this parent,
    matched by the parent's bound ID number once ``parent_identity_confirmed``."""
    if not parent_identity_confirmed(user=user):
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


def parent_child_or_none(*, user, person_id: int):
    """One child of this parent by id, or ``None`` when it is not theirs (booking or pre-review
    for a child checks ownership with this, never with the id alone)."""
    return children_of_parent(user=user).filter(pk=person_id).first()
