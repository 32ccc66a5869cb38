"""Registry write services: each refusal says why a clerk would understand, and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from common.idnumber import make_id_number
from hukou.codes import Relationship
from hukou.errors import StaleVersion
from hukou.models import ChangeEvent, DuplicateSuspect, Guardianship, Household, Person
from hukou.services.registry import (
    duplicate_suspect_decide,
    guardianship_end,
    guardianship_set,
    household_change_head,
    household_create,
    household_update,
    person_correct,
    person_end,
    person_move_in,
    person_move_out,
    person_register_birth,
    person_restore,
)
from tests.factories import AddressFactory, CommunityFactory, HouseholdFactory, PersonFactory

BABY_BIRTH = dt.date(2026, 11, 1)


def baby(**extra):
    return {"name": "张小红", "sex": "F", "birth_date": BABY_BIRTH, "relationship": Relationship.DAUGHTER, **extra}


def counts():
    return (Person.objects.count(), ChangeEvent.objects.count(), Household.objects.count())


@pytest.fixture
def east_address(east):
    return AddressFactory(community=CommunityFactory(station=east, name="滨江社区"), road="滨江路")


def test_it_registers_a_birth_without_an_id_number_and_records_event_and_history(clerk_east, east_household, east_head):
    person = person_register_birth(
        actor=clerk_east, household_id=east_household.pk, child=baby(father_id=east_head.pk), reason="出生医学证明"
    )

    # The number is issued at registration (hukou.services.idnumbers).
    assert person.id_number.startswith(east_household.station.division_code + f"{BABY_BIRTH:%Y%m%d}")
    assert person.registered_at_address_on == BABY_BIRTH
    event = ChangeEvent.objects.get(person=person)
    assert event.kind == ChangeEvent.Kind.PERSON_ADDED
    record = person.history.get()
    assert record.history_change_reason == "出生医学证明"
    assert record.history_user == clerk_east
    east_household.refresh_from_db()
    assert east_household.version == 2


GOOD_BABY_ID = make_id_number(region="360102", birth_date=BABY_BIRTH, sequence=2, male=False)
WRONG_CHECK_DIGIT = GOOD_BABY_ID[:17] + ("0" if GOOD_BABY_ID[17] != "0" else "1")


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (WRONG_CHECK_DIGIT, "校验位错误"),
        ("360102202613010020", "不存在"),  # 13th month
        (make_id_number(region="360102", birth_date=dt.date(2026, 10, 1), sequence=2, male=False), "不一致"),
    ],
)
def test_it_refuses_an_invalid_id_number_and_writes_nothing(clerk_east, east_household, east_head, id_number, message):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        person_register_birth(actor=clerk_east, household_id=east_household.pk, child=baby(id_number=id_number))

    assert message in caught.value.messages[0]
    assert counts() == before


def test_it_refuses_a_second_head(clerk_east, east_household, east_head):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        person_register_birth(
            actor=clerk_east, household_id=east_household.pk, child=baby(relationship=Relationship.HEAD)
        )

    assert "已有户主" in caught.value.messages[0]
    assert counts() == before


def test_it_refuses_a_household_of_another_station(clerk_east, west_household, west_head):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        person_register_birth(actor=clerk_east, household_id=west_household.pk, child=baby())

    assert "其他派出所" in caught.value.messages[0]
    assert counts() == before


def test_it_refuses_a_stale_version_and_keeps_the_first_save(clerk_east, east_household, east_head, east_address):
    household_update(actor=clerk_east, household_id=east_household.pk, expected_version=1, kind="collective")

    with pytest.raises(StaleVersion) as caught:
        household_update(actor=clerk_east, household_id=east_household.pk, expected_version=1, address=east_address)

    assert "其他人" in str(caught.value) or "别人" in str(caught.value)
    east_household.refresh_from_db()
    assert (east_household.kind, east_household.version) == ("collective", 2)
    assert east_household.address_id != east_address.pk


def test_an_address_change_writes_an_event_per_active_member(clerk_east, east_household, east_child, east_address):
    household_update(actor=clerk_east, household_id=east_household.pk, expected_version=1, address=east_address)

    events = ChangeEvent.objects.filter(kind=ChangeEvent.Kind.ADDRESS_CHANGED)
    assert events.count() == 2
    assert "滨江路" in events.first().changes["address"]["after"]


def test_move_in_creates_a_household_with_the_newcomer_as_head(clerk_east, east_address):
    newcomer = {"name": "王大海", "sex": "M", "birth_date": dt.date(1990, 2, 3)}

    person = person_move_in(
        actor=clerk_east, relationship=Relationship.HEAD, person_data=newcomer, address=east_address,
        moved_in_on=dt.date(2026, 11, 20), reason="购房迁入",
    )  # fmt: skip

    assert person.household.address == east_address
    assert person.is_head
    assert person.registered_at_address_on == dt.date(2026, 11, 20)
    assert person.household.number.startswith("EAST")


def test_move_in_joins_a_household_and_resets_the_registration_date(clerk_east, east_household, east_head):
    moved_out = PersonFactory(household=east_household, relationship=Relationship.SON, status="moved_out")

    person = person_move_in(
        actor=clerk_east, relationship=Relationship.SON, person_id=moved_out.pk, household_id=east_household.pk,
        moved_in_on=dt.date(2026, 11, 20),
    )  # fmt: skip

    assert person.status == Person.Status.ACTIVE
    assert person.registered_at_address_on == dt.date(2026, 11, 20)
    assert ChangeEvent.objects.filter(person=person, kind=ChangeEvent.Kind.PERSON_ADDED).exists()


def test_it_refuses_to_move_a_deceased_person(clerk_east, east_household, east_head):
    dead = PersonFactory(household=east_household, relationship=Relationship.FATHER, name="张老", status="deceased")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        person_move_in(
            actor=clerk_east, relationship=Relationship.FATHER, person_id=dead.pk, household_id=east_household.pk
        )
    with pytest.raises(ValidationError) as caught_out:
        person_move_out(actor=clerk_east, person_id=dead.pk, destination="北京市")

    assert "已死亡" in caught.value.messages[0]
    assert "已死亡" in caught_out.value.messages[0]
    assert counts() == before
    dead.refresh_from_db()
    assert dead.version == 1


def test_it_refuses_to_let_the_head_leave_before_the_others(clerk_east, east_household, east_head, east_child):
    with pytest.raises(ValidationError) as caught:
        person_move_out(actor=clerk_east, person_id=east_head.pk, destination="上海市")

    assert "先变更户主" in caught.value.messages[0]
    east_head.refresh_from_db()
    assert east_head.status == Person.Status.ACTIVE
    assert not ChangeEvent.objects.exists()


def test_move_out_records_the_destination_and_the_last_member_cancels_the_household(
    clerk_east, east_household, east_head
):
    person = person_move_out(actor=clerk_east, person_id=east_head.pk, destination="上海市浦东新区", reason="投靠")

    assert (person.status, person.moved_to) == ("moved_out", "上海市浦东新区")
    east_household.refresh_from_db()
    assert east_household.status == Household.Status.CANCELLED
    assert ChangeEvent.objects.get().kind == ChangeEvent.Kind.PERSON_ENDED


def test_death_then_restoration_with_reasons(clerk_east, east_household, east_head, east_child):
    person_end(actor=clerk_east, person_id=east_child.pk, status="deceased", reason="死亡医学证明")
    restored = person_restore(actor=clerk_east, person_id=east_child.pk, reason="误报死亡，本人到场核实")

    assert restored.status == Person.Status.ACTIVE
    kinds = list(ChangeEvent.objects.values_list("kind", flat=True))
    assert kinds == [ChangeEvent.Kind.PERSON_ENDED, ChangeEvent.Kind.PERSON_RESTORED]
    assert restored.history.first().history_change_reason == "误报死亡，本人到场核实"


def test_restoring_a_cancelled_head_reopens_the_household(clerk_east, east_household, east_head):
    person_end(actor=clerk_east, person_id=east_head.pk, status="cancelled", reason="重复登记")
    person_restore(actor=clerk_east, person_id=east_head.pk, reason="误注销")

    east_household.refresh_from_db()
    assert east_household.status == Household.Status.ACTIVE


def test_it_refuses_to_restore_when_the_id_number_is_taken_again(clerk_east, east_household, east_head, east_child):
    person_end(actor=clerk_east, person_id=east_child.pk, status="cancelled", reason="注销")
    PersonFactory(household=east_household, relationship=Relationship.SON, id_number=east_child.id_number)

    with pytest.raises(ValidationError) as caught:
        person_restore(actor=clerk_east, person_id=east_child.pk, reason="恢复")

    assert "身份号码" in caught.value.messages[0]
    east_child.refresh_from_db()
    assert east_child.status == "cancelled"


def test_correction_records_before_and_after_and_keeps_the_former_name(clerk_east, east_household, east_child):
    diff = person_correct(actor=clerk_east, person_id=east_child.pk, changes={"name": "张晓明"}, reason="更名")

    assert diff["name"] == {"before": "张小明", "after": "张晓明"}
    east_child.refresh_from_db()
    assert east_child.former_names == "张小明"
    assert east_child.name_pinyin == "zhangxiaoming"
    event = ChangeEvent.objects.get()
    assert (event.kind, event.changes["name"]["after"]) == (ChangeEvent.Kind.NAME_CHANGED, "张晓明")


def test_a_birth_date_correction_must_agree_with_the_id_number(clerk_east, east_household, east_child):
    # Naming the (old) number explicitly must agree; without it the number is re-issued
    # (tests/hukou/test_id_number_issuance.py).
    with pytest.raises(ValidationError) as caught:
        person_correct(
            actor=clerk_east,
            person_id=east_child.pk,
            changes={"birth_date": dt.date(2020, 5, 2), "id_number": east_child.id_number},
            reason="更正",
        )

    assert "不一致" in caught.value.messages[0]
    east_child.refresh_from_db()
    assert east_child.birth_date == dt.date(2020, 5, 1)
    assert not ChangeEvent.objects.exists()


def test_it_refuses_a_stale_person_version(clerk_east, east_household, east_child):
    person_correct(actor=clerk_east, person_id=east_child.pk, changes={"native_place": "江西南昌"}, reason="更正")

    with pytest.raises(StaleVersion):
        person_correct(
            actor=clerk_east, person_id=east_child.pk, changes={"native_place": "江西九江"}, reason="更正",
            expected_version=1,
        )  # fmt: skip

    east_child.refresh_from_db()
    assert east_child.native_place == "江西南昌"


def test_changing_the_head_keeps_exactly_one_head(clerk_east, east_household, east_head, east_child):
    household_change_head(
        actor=clerk_east, household_id=east_household.pk, new_head_id=east_child.pk,
        old_head_relationship=Relationship.FATHER, expected_version=1, reason="户主变更",
    )  # fmt: skip

    heads = Person.objects.filter(household=east_household, relationship=Relationship.HEAD)
    assert list(heads) == [east_child]
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.RELATIONSHIP_CHANGED).count() == 2


def test_it_refuses_a_household_without_a_head(clerk_east, east_household, east_head):
    with pytest.raises(ValidationError) as caught:
        person_correct(
            actor=clerk_east, person_id=east_head.pk, changes={"relationship": Relationship.SON}, reason="更正"
        )

    assert "户主变更" in caught.value.messages[0]
    east_head.refresh_from_db()
    assert east_head.is_head


def test_guardianship_set_and_end(clerk_east, east_household, east_head, east_child):
    guardianship = guardianship_set(
        actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=Relationship.FATHER,
        has_custody=True, reason="留守儿童监护关系确认",
    )  # fmt: skip
    guardianship_end(actor=clerk_east, guardianship_id=guardianship.pk, reason="监护变更")

    guardianship.refresh_from_db()
    assert guardianship.valid_until is not None
    assert Guardianship.objects.count() == 1
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.GUARDIAN_CHANGED).count() == 2


def test_a_new_head_household_needs_head_data_that_is_valid(clerk_east, east_address):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        household_create(actor=clerk_east, address=east_address, head={"name": "", "sex": "M"})

    assert "姓名" in caught.value.messages[0]
    assert counts() == before


def test_a_suspected_duplicate_is_flagged_and_the_approver_decides(
    clerk_east, approver_east, aux_east, east_household, east_head, east_child
):
    twin = person_register_birth(
        actor=clerk_east, household_id=east_household.pk,
        child={"name": "张小明", "sex": "M", "birth_date": east_child.birth_date, "relationship": Relationship.SON},
    )  # fmt: skip
    suspect = DuplicateSuspect.objects.get(person=twin)
    assert suspect.suspected_of == east_child

    with pytest.raises(ValidationError) as caught:
        duplicate_suspect_decide(actor=aux_east, suspect_id=suspect.pk, confirmed=True, note="重复")
    assert "审核" in caught.value.messages[0]

    duplicate_suspect_decide(actor=approver_east, suspect_id=suspect.pk, confirmed=True, note="同一人重复登记")
    twin.refresh_from_db()
    suspect.refresh_from_db()
    assert (suspect.status, suspect.decided_by, twin.status) == ("confirmed", approver_east, "cancelled")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_clerks_saving_the_same_household_at_once_one_is_refused(east, clerk_east, east_household, east_address):
    import threading

    from django.db import connection

    PersonFactory(household=east_household, relationship=Relationship.HEAD)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(**change):
        try:
            barrier.wait()
            household_update(actor=clerk_east, household_id=east_household.pk, expected_version=1, **change)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, kwargs={"kind": "collective"}),
        threading.Thread(target=save, kwargs={"address": east_address}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "stale"]
    east_household.refresh_from_db()
    assert east_household.version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_opposite_moves_at_once_do_not_deadlock(east, clerk_east, approver_east, east_address):
    """X's member moves to Y while Y's member moves to X: households are locked in one order."""
    import threading

    from django.db import connection

    x, y = HouseholdFactory(station=east, address=east_address), HouseholdFactory(station=east, address=east_address)
    PersonFactory(household=x, relationship=Relationship.HEAD)
    PersonFactory(household=y, relationship=Relationship.HEAD)
    from_x = PersonFactory(household=x, relationship=Relationship.SON, name="甲", birth_date=dt.date(2015, 1, 1))
    from_y = PersonFactory(household=y, relationship=Relationship.SON, name="乙", birth_date=dt.date(2016, 1, 1))
    barrier = threading.Barrier(2)
    outcomes = []

    def move(person, target, actor):
        try:
            barrier.wait()
            person_move_in(actor=actor, relationship=Relationship.SON, person_id=person.pk, household_id=target.pk)
            outcomes.append("moved")
        except Exception as exc:  # a deadlock surfaces as OperationalError: record it, fail below
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(from_x, y, clerk_east)),
        threading.Thread(target=move, args=(from_y, x, approver_east)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["moved", "moved"]
    from_x.refresh_from_db()
    from_y.refresh_from_db()
    assert (from_x.household, from_y.household) == (y, x)
