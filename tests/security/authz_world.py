"""Objects of the booking/queue, materials and parent-identity apps for the authorisation matrix,
made through the apps' own services: one of each kind for station East and the parent (father of
East's child), and one for station West and the second parent (``parent_west``).

``station_objects`` returns two id maps with the same keys; the matrix visits every route that
names one of these objects once with East's and once with West's (``WEST_KINDS``).
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import IdentityClaim
from appointments.models import Slot
from appointments.services.booking import booking_create
from appointments.services.feedback import follow_up_open
from appointments.services.queue import ticket_walk_in
from appointments.services.schedule import slots_generate
from documents.services.applications import application_answer, application_start
from documents.services.notices import notice_issue
from documents.services.uploads import upload_receive
from hukou.models import BusinessType
from tests import upload_samples as samples
from tests.appointments.fixtures import at, open_every_day, tomorrow

# The id keys that differ between the two sides.
WEST_KINDS = frozenset(
    {"booking", "ticket", "ticket_token", "window", "follow_up", "station_code", "application", "item",
     "checklist_item", "upload", "claim"}
)  # fmt: skip


def _confirm_identity(user, person) -> None:
    """As the cast's parent: the bound identity matches the registry and was proven."""
    user.real_name = person.name
    user.mobile_verified_at = user.identity_verified_at = timezone.now()
    user.identity_method = "registry_mobile"
    user.save(update_fields=["real_name", "mobile_verified_at", "identity_verified_at", "identity_method"])


def _side(*, station, parent, child, claimant, holder, business, school_business) -> dict:
    open_every_day(station)
    slots_generate(station_id=station.pk, day=tomorrow())
    slot = Slot.objects.get(station=station, starts_at=at(tomorrow(), 9))
    booking = booking_create(
        account=parent, slot_id=slot.pk, business_type_id=business.pk, person_id=child.pk if child else None
    )
    ticket = ticket_walk_in(station_id=station.pk, business_type_id=business.pk)
    follow_up = follow_up_open(station_id=station.pk, ticket=ticket, text="没有办成", reporter=parent)
    application = application_start(
        user=parent, business_type_code=school_business, child_id=child.pk if child else None,
        station_id=None if child else station.pk,
    )  # fmt: skip
    application_answer(user=parent, application_id=application.pk, answers={})
    item = application.items.order_by("order").first()
    upload = upload_receive(
        user=parent, application_item_id=item.pk, data=samples.good_jpeg(), filename=f"{station.code}.jpg"
    )
    notice_issue(application_id=application.pk, actor=parent)
    claim = IdentityClaim.objects.create(claimant=claimant, holder=holder, id_number=holder.id_number, station=station)
    return {
        "booking": booking.code, "ticket": ticket.pk, "ticket_token": ticket.token,
        "window": station.windows.get(number=1).pk, "follow_up": follow_up.pk, "station_code": station.code,
        "application": application.pk, "item": item.pk, "upload": upload.pk, "claim": claim.pk,
        "checklist_item": item.item_id,
    }  # fmt: skip


def station_objects(*, east, west, east_child, parent, parent_west, west_head) -> tuple[dict, dict]:
    """(East's ids, West's ids): the parent books and applies for East's child; the second parent
    (identity confirmed as West's household head) for themself at West. Each side also has a
    walk-in ticket, a 办不成事 report, an uploaded photo, a one-time notice and an open identity
    claim (the other parent claiming this side's parent's ID number)."""
    _confirm_identity(parent_west, west_head)
    business = BusinessType.objects.get(code="birth")
    common = {"business": business, "school_business": "school_certificate"}
    east_ids = _side(station=east, parent=parent, child=east_child, claimant=parent_west, holder=parent, **common)
    west_ids = _side(station=west, parent=parent_west, child=None, claimant=parent, holder=parent_west, **common)
    fixed = {"notice_version": 1, "variant": "file", "console_action": "recall", "guide": "school_certificate"}
    return east_ids | fixed, west_ids | fixed
