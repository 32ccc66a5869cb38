"""Booking a scarce place: create (parent or clerk on behalf), cancel, reschedule.

The invariant "never oversold" is held by the counted row: ``Slot.booked`` changes only in one
conditional ``UPDATE … SET booked = booked + 1 WHERE booked < capacity``, which PostgreSQL runs
under the slot's row lock (re-checking the condition after any wait), issued last before the
commit so the lock is held as briefly as possible; a check constraint
(``appointments_slot_not_oversold``) refuses any write past ``capacity`` even for code that
forgets the condition. Everything that needs no lock (the slot is offered, released, serves the
business, is not already full) is checked before, on an unlocked read. "One active booking
per ID number per business type" is a partial unique constraint
(``appointments_booking_one_active_per_id``); the pre-checks below only give nicer messages.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.errors import Busy, SlotFull
from appointments.models import Booking, BookingSuspension, Slot
from appointments.selectors.availability import booking_change_deadline, booking_last_day
from appointments.signals import booking_moved
from common.idnumber import validate_id_number
from common.validators import validate_person_name, validate_phone
from hukou.models import BusinessType
from hukou.selectors.parents import parent_child_or_none, parent_identity_confirmed

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
LOCK_TIMEOUT_MS = 3000


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _slot_checked(slot_id: int, business_type: BusinessType, *, for_parent: bool) -> Slot:
    """The slot, read WITHOUT a lock, with every check that needs none (offered, in the future,
    released, serves the business). A slot already full is refused here too, so the burst's
    many refusals never queue for the row lock; the authoritative count comes in
    ``_take_place``."""
    serves = Slot.business_types.through.objects.filter(slot_id=OuterRef("pk"), businesstype_id=business_type.pk)
    slot = Slot.objects.annotate(serves=Exists(serves)).filter(pk=slot_id).first()
    if slot is None:
        raise ValidationError(_("This time is not offered."), code="no_slot")
    now = timezone.now()
    if not slot.is_active or slot.starts_at <= now:
        raise ValidationError(_("This time is not offered any more; please choose another."), code="slot_gone")
    if for_parent and timezone.localdate(slot.starts_at) > booking_last_day(now=now):
        raise ValidationError(_("Places for this day are not released yet."), code="not_released")
    if not slot.serves:
        raise ValidationError(
            _("This time is not for %(business)s.") % {"business": business_type.name}, code="wrong_business"
        )
    if slot.booked >= slot.capacity:
        raise SlotFull(_("Every place at this time is taken."), code="slot_full")
    return slot


def _take_place(slot_id: int) -> None:
    """The counted row: ``booked = booked + 1 WHERE booked < capacity`` in one UPDATE. PostgreSQL
    takes the slot's row lock for it and re-evaluates the condition on the latest row version
    after any wait, so concurrent requests can never take more places than there are. Called
    last before commit: the lock is held for this statement and the commit only. A bounded
    wait (``lock_timeout``) turns a pile-up into 503, not a hang."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
    try:
        taken = Slot.objects.filter(pk=slot_id, is_active=True, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    except OperationalError as exc:
        raise Busy(_("Many people are booking right now; please try again in a moment."), code="busy") from exc
    if not taken:  # filled (or retired) since it was read
        raise SlotFull(_("Every place at this time is taken."), code="slot_full")


def _check_account(account) -> None:
    today = timezone.localdate()
    suspension = BookingSuspension.objects.filter(account=account, starts_on__lte=today, ends_on__gte=today).first()
    if suspension:
        raise ValidationError(
            _("Online booking is suspended from %(start)s to %(end)s because of missed appointments.")
            % {"start": suspension.starts_on, "end": suspension.ends_on},
            code="suspended",
        )
    # Locking the account row makes "count, then insert" safe for two tabs of one parent.
    get_user_model().objects.select_for_update().filter(pk=account.pk).first()
    if Booking.objects.active().filter(account=account).count() >= settings.BOOKING_MAX_ACTIVE_PER_ACCOUNT:
        raise ValidationError(
            _("You already have %(n)s active bookings, the most one account may hold.")
            % {"n": settings.BOOKING_MAX_ACTIVE_PER_ACCOUNT},
            code="account_cap",
        )


def _duplicate_error(business_type: BusinessType) -> ValidationError:
    return ValidationError(
        _("This person already has an active booking for %(business)s.") % {"business": business_type.name},
        code="duplicate",
    )


def _book(
    *, slot_id: int, business_type: BusinessType, applicant: dict, account, proxy_by, for_parent: bool
) -> Booking:
    if not business_type.is_active:
        raise ValidationError(_("This business type is no longer offered."), code="business_inactive")
    if (
        Booking.objects.active()
        .filter(applicant_id_number=applicant["id_number"], business_type=business_type)
        .exists()
    ):
        raise _duplicate_error(business_type)
    if account is not None and proxy_by is None:
        _check_account(account)
    slot = _slot_checked(slot_id, business_type, for_parent=for_parent)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                code=_new_code(),
                station_id=slot.station_id,
                slot=slot,
                business_type=business_type,
                account=account,
                proxy_by=proxy_by,
                person_id=applicant.get("person_id"),
                applicant_name=applicant["name"],
                applicant_id_number=applicant["id_number"],
                applicant_phone=applicant.get("phone", ""),
            )
    except IntegrityError as exc:  # the partial unique constraint: a concurrent twin won
        raise _duplicate_error(business_type) from exc
    # Last: the place is counted under the slot's row lock, held only until the commit right
    # after. A refusal here (full, busy) rolls the booking row back with the transaction.
    _take_place(slot.pk)
    slot.booked += 1
    return booking


def _business(business_type_id: int) -> BusinessType:
    business_type = BusinessType.objects.filter(pk=business_type_id).first()
    if business_type is None:
        raise ValidationError(_("This business type is no longer offered."), code="business_inactive")
    return business_type


def _parent_applicant(account, person_id: int | None) -> dict:
    if not parent_identity_confirmed(user=account):
        raise ValidationError(
            _("Your real-name identity is not confirmed against the registry yet, so you cannot book."),
            code="identity_unconfirmed",
        )
    if person_id is None:
        return {"name": account.real_name, "id_number": account.id_number, "phone": account.mobile or ""}
    child = parent_child_or_none(user=account, person_id=person_id)
    if child is None or not child.id_number:
        raise ValidationError(_("You can only book for yourself or your own child."), code="not_your_child")
    return {"name": child.name, "id_number": child.id_number, "phone": account.mobile or "", "person_id": child.pk}


@transaction.atomic
def booking_create(*, account, slot_id: int, business_type_id: int, person_id: int | None = None) -> Booking:
    """A parent books ``slot_id`` for themself (``person_id=None``) or their own child.

    Guarantees: the slot's place is counted under its row lock, so concurrent requests can never
    take more places than it has; one active booking per ID number and business type; at most
    ``BOOKING_MAX_ACTIVE_PER_ACCOUNT`` active bookings per account (account row locked); refused
    while the account is suspended for no-shows. Raises ``SlotFull`` (409), ``Busy`` (503) or
    ``ValidationError``; nothing is written on any refusal."""
    business_type = _business(business_type_id)
    applicant = _parent_applicant(account, person_id)
    return _book(
        slot_id=slot_id,
        business_type=business_type,
        applicant=applicant,
        account=account,
        proxy_by=None,
        for_parent=True,
    )


@transaction.atomic
def booking_create_proxy(
    *,
    clerk,
    slot_id: int,
    business_type_id: int,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str = "",
) -> Booking:
    """帮办代办: a clerk books at their own station for someone without a phone. Recorded with
    ``proxy_by``; the same capacity lock and per-ID constraint apply (no account cap)."""
    if not isinstance(applicant_name, str) or not applicant_name.strip():
        raise ValidationError(_("Enter the applicant's name."), code="applicant_required")
    # The shared rules (common.validators): no RTL override, zero-width or emoji in a name, a
    # phone number that is one; ID number with its check digit.
    applicant_name = validate_person_name(applicant_name)
    applicant_phone = validate_phone(applicant_phone) if (applicant_phone or "").strip() else ""
    number = validate_id_number(applicant_id_number)
    slot_station = Slot.objects.filter(pk=slot_id).values_list("station_id", flat=True).first()
    if slot_station != clerk.station_id:
        raise ValidationError(_("You can only book at your own station."), code="other_station")
    business_type = _business(business_type_id)
    applicant = {"name": applicant_name.strip(), "id_number": number, "phone": applicant_phone.strip()}
    return _book(
        slot_id=slot_id,
        business_type=business_type,
        applicant=applicant,
        account=None,
        proxy_by=clerk,
        for_parent=False,
    )


def _cutoff_check(booking: Booking) -> None:
    if timezone.now() > booking_change_deadline(booking=booking):
        raise ValidationError(
            _("Bookings can be changed only until %(hours)s hours before the time.")
            % {"hours": settings.BOOKING_CANCEL_CUTOFF_HOURS},
            code="cutoff",
        )


def _lock_own_booking(*, actor, booking_id: int) -> Booking:
    booking = Booking.objects.select_for_update().select_related("slot").filter(pk=booking_id).first()
    own = booking is not None and (booking.account_id == actor.pk or booking.proxy_by_id == actor.pk)
    if not own:
        raise ValidationError(_("Booking not found."), code="not_found")
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking can no longer be changed."), code="wrong_status")
    return booking


def _release(booking: Booking, status: str) -> None:
    # Freeing a place needs no slot lock for correctness; the F() update keeps the count exact.
    from django.db.models import F

    Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - 1)
    booking.status = status
    booking.cancelled_at = timezone.now() if status == Booking.Status.CANCELLED else booking.cancelled_at
    booking.save(update_fields=["status", "cancelled_at"])


@transaction.atomic
def booking_cancel(*, actor, booking_id: int) -> Booking:
    """Cancels the actor's own booking up to the cutoff and frees its place. Raises
    ``ValidationError`` (not found / not changeable / past cutoff)."""
    booking = _lock_own_booking(actor=actor, booking_id=booking_id)
    _cutoff_check(booking)
    _release(booking, Booking.Status.CANCELLED)
    return booking


@transaction.atomic
def booking_reschedule(*, actor, booking_id: int, slot_id: int) -> Booking:
    """Moves the actor's booking to another slot (same business type): the new place is taken
    under the new slot's lock first, then the old one freed, in one transaction; a flagged
    booking may be moved even past the cutoff (the station changed its hours). Sends
    ``booking_moved`` in the transaction so what other apps tied to the old booking follows."""
    old = _lock_own_booking(actor=actor, booking_id=booking_id)
    if not old.flagged_at:
        _cutoff_check(old)
    _release(old, Booking.Status.CANCELLED)
    applicant = {
        "name": old.applicant_name,
        "id_number": old.applicant_id_number,
        "phone": old.applicant_phone,
        "person_id": old.person_id,
    }
    new = _book(
        slot_id=slot_id,
        business_type=old.business_type,
        applicant=applicant,
        account=old.account,
        proxy_by=old.proxy_by,
        for_parent=old.proxy_by_id is None,
    )
    booking_moved.send(sender=Booking, old=old, new=new)
    return new
