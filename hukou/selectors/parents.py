"""What a parent (a citizen with an account) may see of the registry: their own children.

Kept in hukou, beside the registry it reads, so every app that serves parents (accounts'
"my family", booking for a child, materials pre-review for a child) asks the same question the
same way. hukou still imports no other app: the user is read only through ``role``,
``id_number``, ``real_name`` and ``identity_verified_at`` (set by accounts once the parent proved
who they are: a text-verified mobile number the registry records for them, or a clerk's check of
the ID card at the window).
"""

from django.db.models import Q

from common.roles import Role
from hukou.models import Case, Certificate, Person


def parent_identity_confirmed(*, user) -> bool:
    """A parent's bound identity counts only once it was verified (see the module docstring) AND
    the registry knows an active person with that ID number and name: knowing somebody's name
    and ID number alone must never reveal their children."""
    if getattr(user, "role", None) != Role.PARENT or not user.id_number or not user.real_name:
        return False
    if getattr(user, "identity_verified_at", None) is None:
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


def cases_of_parent(*, user):
    """Cases filed in the parent's name (their ID number as applicant or as the person) or
    about one of their children (网上跟进), newest first; nothing before identity is confirmed."""
    if not parent_identity_confirmed(user=user):
        return Case.objects.none()
    children = children_of_parent(user=user).values("pk")
    return (
        Case.objects.filter(
            Q(applicant_id_number=user.id_number) | Q(person__id_number=user.id_number) | Q(person__in=children)
        )
        .select_related("business_type", "person", "station")
        .distinct()
        .order_by("-received_at")
    )


def certificates_of_parent(*, user):
    """Valid certificates issued for the parent's children."""
    if not parent_identity_confirmed(user=user):
        return Certificate.objects.none()
    children = children_of_parent(user=user).values("pk")
    return (
        Certificate.objects.filter(person__in=children, status=Certificate.Status.VALID)
        .select_related("person")
        .order_by("-issued_at")
    )
