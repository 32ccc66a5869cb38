"""Binding a parent account to a person of the registry, and resolving competing claims.

An account's ID number is only a claim until one of two proofs binds it:
- the registry already records this account's (text-verified) mobile number for the person
  with that ID number and name (``identity_bind_from_registry``), or
- a clerk checked the person's ID card at the window (``identity_confirm_at_window``).
Until then ``hukou.selectors.parents.parent_identity_confirmed`` answers False and the account
sees no family data. A number already bound to another account is never taken over silently:
the new claim becomes an ``IdentityClaim`` that the station's admin decides.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdentityClaim, IdentityMethod, User
from common.idnumber import validate_id_number
from common.roles import Role
from hukou.models import Person

VERIFIED, PENDING, CLAIMED = "verified", "pending", "claimed"
WINDOW_ROLES = frozenset({Role.CLERK, Role.STATION_ADMIN})


def _registered_person(user: User) -> Person | None:
    return (
        Person.objects.active()
        .filter(id_number=user.id_number, name=user.real_name)
        .select_related("household__station")
        .first()
    )


def _bind(user: User, *, method: str, station, checked_by: User | None) -> str:
    """Binds ``user`` (row locked by the caller) unless another account holds the number;
    then opens (or keeps) a claim for ``station`` and answers CLAIMED."""
    holder = (
        User.objects.select_for_update()
        .filter(id_number=user.id_number, identity_verified_at__isnull=False)
        .exclude(pk=user.pk)
        .first()
    )
    if holder is None:
        user.identity_verified_at = timezone.now()
        user.identity_method = method
        user.identity_checked_by = checked_by
        try:
            with transaction.atomic():
                user.save(update_fields=["identity_verified_at", "identity_method", "identity_checked_by"])
            return VERIFIED
        except IntegrityError:  # bound by another account a moment ago: a claim after all
            user.identity_verified_at, user.identity_method, user.identity_checked_by = None, "", None
            holder = User.objects.filter(id_number=user.id_number, identity_verified_at__isnull=False).first()
    IdentityClaim.objects.get_or_create(
        claimant=user,
        status=IdentityClaim.Status.OPEN,
        defaults={"holder": holder, "id_number": user.id_number, "station": station},
    )
    return CLAIMED


@transaction.atomic
def identity_bind_from_registry(*, user_id: int) -> str:
    """Binds the account when the registry records its verified mobile number for the active
    person with its name and ID number. Returns VERIFIED, PENDING (no proof yet: go to the
    window) or CLAIMED (another account holds the number: the station decides)."""
    user = User.objects.select_for_update().get(pk=user_id)
    if user.identity_verified_at is not None:
        return VERIFIED
    person = _registered_person(user) if user.id_number else None
    if person is None or not user.mobile_verified_at or not person.mobile or person.mobile != user.mobile:
        return PENDING
    return _bind(user, method=IdentityMethod.REGISTRY_MOBILE, station=person.household.station, checked_by=None)


@transaction.atomic
def identity_confirm_at_window(*, actor: User, user_id: int, id_number_seen: str, name_seen: str) -> str:
    """A clerk saw the original ID card: the name and number typed from it must equal the
    account's claim, and an active person must be registered with them. Returns VERIFIED or
    CLAIMED. Raises ValidationError (nothing written) when the card does not match."""
    if actor.role not in WINDOW_ROLES or actor.station_id is None:
        raise PermissionDenied
    user = User.objects.select_for_update().filter(pk=user_id, role=Role.PARENT).first()
    if user is None:
        raise ValidationError(_("No parent account was found."), code="account_not_found")
    if user.identity_verified_at is not None:
        raise ValidationError(_("This account's identity is already verified."), code="already_verified")
    number = validate_id_number(id_number_seen)
    if number != user.id_number or name_seen.strip() != user.real_name:
        raise ValidationError(
            _("The ID card does not match the name and ID number this account claims; nothing was bound."),
            code="card_mismatch",
        )
    if _registered_person(user) is None:
        raise ValidationError(
            _("No active registration has this name and ID number; nothing was bound."), code="person_not_found"
        )
    return _bind(user, method=IdentityMethod.WINDOW_CHECK, station=actor.station, checked_by=actor)


@transaction.atomic
def identity_claim_decide(*, actor: User, claim_id: int, grant: bool, note: str) -> IdentityClaim:
    """The station admin decides an open claim. Granting (after seeing the claimant's ID card at
    the window) moves the binding: the holder loses it, the claimant gains it, in one transaction.
    Refusing leaves the existing binding. Raises ValidationError when the claim is not open or
    the note is missing; PermissionDenied for another station's claim."""
    if actor.role != Role.STATION_ADMIN:
        raise PermissionDenied
    claim = IdentityClaim.objects.select_for_update().filter(pk=claim_id, station_id=actor.station_id).first()
    if claim is None:
        raise PermissionDenied
    if claim.status != IdentityClaim.Status.OPEN:
        raise ValidationError(_("This claim has already been decided."), code="claim_decided")
    if not note.strip():
        raise ValidationError(_("Write down what was checked and why."), code="note_required")
    if grant:
        User.objects.select_for_update().filter(id_number=claim.id_number, identity_verified_at__isnull=False).exclude(
            pk=claim.claimant_id
        ).update(identity_verified_at=None, identity_method="", identity_checked_by=None)
        User.objects.filter(pk=claim.claimant_id).update(
            identity_verified_at=timezone.now(), identity_method=IdentityMethod.WINDOW_CHECK, identity_checked_by=actor
        )
    claim.status = IdentityClaim.Status.GRANTED if grant else IdentityClaim.Status.REFUSED
    claim.decided_by, claim.decided_at, claim.note = actor, timezone.now(), note.strip()[:200]
    claim.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return claim
