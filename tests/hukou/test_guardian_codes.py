"""Issue #11, finding 5: guardian relationship codes come from the standard table only, and an
event whose body cannot be built is parked visibly instead of failing on every sweep."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hukou.codes import Relationship
from hukou.models import ChangeEvent, Guardianship
from hukou.services.registry import guardianship_set
from schoolsync.models import OutboundEvent
from schoolsync.selectors.feed import feed_page
from schoolsync.services import delivery
from schoolsync.services.delivery import BUILD_ERROR, outbound_backfill
from schoolsync.services.relay import outbound_feed_stamp
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["ZZ", "0", "", "5", 51, None])
def test_the_service_refuses_a_code_outside_the_table(clerk_east, east_child, east_head, code):
    with pytest.raises(ValidationError) as refused:
        guardianship_set(
            actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=code, reason="监护"
        )

    assert refused.value.code == "relationship_invalid"
    assert not Guardianship.objects.exists()
    assert not ChangeEvent.objects.exists()


@pytest.mark.parametrize("code", ["ZZ", "0"])
def test_the_api_answers_400_for_an_unknown_code(client, clerk_east, east_child, east_head, code):
    client.force_login(clerk_east)

    answer = client.post(
        f"/api/v1/persons/{east_child.pk}/guardians/",
        {"guardian": east_head.pk, "relationship": code, "reason": "监护关系确认"},
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert "GB/T 4761" in answer.json()["message"]
    assert not Guardianship.objects.exists()


def test_the_database_refuses_an_unknown_code(east_child, east_head):
    with pytest.raises(IntegrityError), transaction.atomic():
        Guardianship.objects.create(child=east_child, guardian=east_head, relationship="ZZ", valid_from=dt.date.today())


def test_every_code_of_the_table_is_accepted(clerk_east, east_child, east_head):
    guardianship = guardianship_set(
        actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=Relationship.FATHER,
        reason="监护关系确认",
    )  # fmt: skip

    assert guardianship.relationship == "51"


@pytest.mark.postgres
def test_an_event_that_cannot_be_built_is_parked_with_its_reason(monkeypatch, clerk_east, east_child, east_head):
    def broken(person):
        raise ValueError("'ZZ' is not a valid Relationship")

    monkeypatch.setattr("schoolsync.services.delivery.child_snapshot", broken)
    guardianship_set(
        actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=Relationship.FATHER,
        reason="监护关系确认",
    )  # fmt: skip

    event = OutboundEvent.objects.get(person=east_child)
    assert event.status == OutboundEvent.Status.PARKED
    assert "'ZZ' is not a valid Relationship" in event.last_error
    assert BUILD_ERROR in event.payload
    # Not half-published in the pull feed, and the sweeper does not try (and fail) again.
    outbound_feed_stamp()
    assert feed_page(after=0, limit=10) == ([], False)
    assert outbound_backfill() == 0


@pytest.mark.postgres
def test_the_sweeper_goes_on_past_an_event_it_cannot_build(monkeypatch, east_household, east_child):
    from hukou.services.events import change_event_record

    sister = PersonFactory(household=east_household, relationship=Relationship.DAUGHTER, birth_date=dt.date(2019, 3, 1))
    with transaction.atomic():
        first = change_event_record(kind=ChangeEvent.Kind.NAME_CHANGED, person=east_child, changes={})
        second = change_event_record(kind=ChangeEvent.Kind.NAME_CHANGED, person=sister, changes={})
    OutboundEvent.objects.all().delete()
    real = delivery.child_snapshot

    def broken_for_the_child(person):
        if person.pk == east_child.pk:
            raise ValueError("unbuildable")
        return real(person)

    monkeypatch.setattr("schoolsync.services.delivery.child_snapshot", broken_for_the_child)

    assert outbound_backfill() == 2
    assert OutboundEvent.objects.get(change_event=first).status == OutboundEvent.Status.PARKED
    assert OutboundEvent.objects.get(change_event=second).status == OutboundEvent.Status.PENDING
