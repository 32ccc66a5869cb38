"""School notices: registry changes of enrolled pupils and of the catchment, read marks."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from hukou.models import ChangeEvent
from hukou.services.events import change_event_record
from hukou.services.registry import household_update, person_move_in
from schoolsync.models import Enrolment, SchoolNoticeRead
from tests.factories import AddressFactory, CommunityFactory, HouseholdFactory, PersonFactory
from tests.schoolsync.eligibility_fixtures import YEAR

pytestmark = pytest.mark.django_db


def event(person, kind=ChangeEvent.Kind.NAME_CHANGED, **changes):
    with transaction.atomic():
        return change_event_record(kind=kind, person=person, changes=changes)


@pytest.fixture
def staff(login, school_staff):
    return login(school_staff)


def notice_ids(client):
    return [row["id"] for row in client.get("/api/v1/school/notices/").json()["results"]]


def test_a_school_sees_changes_in_its_catchment_and_of_its_pupils_only(staff, school_staff, family, west_head):
    in_catchment = event(family())
    pupil = PersonFactory(
        household=west_head.household, name="西城学生", relationship="20", birth_date=dt.date(2016, 3, 1)
    )
    Enrolment.objects.create(school=school_staff.school, person=pupil, year=YEAR)
    of_pupil = event(pupil)
    event(west_head)  # neither enrolled nor in the catchment
    assert notice_ids(staff) == [of_pupil.pk, in_catchment.pk]


def test_a_household_moving_out_of_the_catchment_still_notifies_the_school(
    staff, clerk_east, east_catchment, east_head, east_child, east_household
):
    """The household's address is outside after the change, but was inside before it. The
    school hears of the child, not of the adult head (issue #11, finding 8)."""
    outside = AddressFactory(community=CommunityFactory(station=east_household.station, name="湖滨社区"))

    household_update(actor=clerk_east, household_id=east_household.pk, expected_version=None, address=outside)

    moved = ChangeEvent.objects.get(person=east_child, kind=ChangeEvent.Kind.ADDRESS_CHANGED)
    assert moved.previous_address == east_catchment.community.addresses.get()
    assert ChangeEvent.objects.filter(person=east_head, kind=ChangeEvent.Kind.ADDRESS_CHANGED).exists()
    assert notice_ids(staff) == [moved.pk]


def test_a_school_hears_of_children_of_school_age_only(staff, school_staff, family, east_head, settings):
    """Issue #11, finding 8: notices follow the rule of the eligibility lookup and the sync push
    (schoolsync.school_age): an adult in the catchment or enrolled by mistake is never shown."""
    child = family()
    of_child = event(child)
    event(east_head)  # an adult in the catchment
    adult_pupil = PersonFactory(household=east_head.household, name="王成年", relationship="20",
                                birth_date=dt.date(1990, 1, 1))  # fmt: skip
    Enrolment.objects.create(school=school_staff.school, person=adult_pupil, year=YEAR)
    of_adult_pupil = event(adult_pupil)

    assert notice_ids(staff) == [of_child.pk]
    body = staff.get("/api/v1/school/notices/").json()
    assert body["unread_count"] == 1
    page = staff.get(reverse("schoolsync:school_home")).content.decode()
    assert east_head.masked_id_number not in page and adult_pupil.masked_id_number not in page
    assert staff.post(f"/api/v1/school/notices/{of_adult_pupil.pk}/read/").status_code == 404
    settings.EDU_SYNC_MAX_AGE = 60  # the same setting as the push widens the notices too
    assert set(notice_ids(staff)) >= {of_child.pk, of_adult_pupil.pk}


def test_a_person_moving_to_a_household_outside_the_catchment_notifies_the_school(
    staff, clerk_east, east_catchment, east_head, east_child
):
    outside = AddressFactory(community=CommunityFactory(station=east_head.household.station, name="湖滨社区"))
    other = HouseholdFactory(address=outside, station=east_head.household.station)
    PersonFactory(household=other, name="王湖滨")

    person_move_in(
        actor=clerk_east, relationship="20", person_id=east_child.pk, household_id=other.pk, reason="随亲属迁移"
    )

    moved = ChangeEvent.objects.get(person=east_child)
    assert moved.household == other
    assert notice_ids(staff) == [moved.pk]


def test_the_page_lists_notices_with_the_unread_count_and_marks_them_read(staff, school_staff, family):
    child = family()
    first, second = event(child), event(child, ChangeEvent.Kind.ADDRESS_CHANGED)
    page = staff.get(reverse("schoolsync:school_home")).content.decode()
    assert "2 条未读" in page
    assert child.masked_id_number in page and child.id_number not in page
    response = staff.post(reverse("schoolsync:notice_mark_read", args=[first.pk]), follow=True)
    assert "已标记为已读" in response.content.decode()
    assert "1 条未读" in response.content.decode()
    mark = SchoolNoticeRead.objects.get()
    assert (mark.change_event, mark.read_by, mark.school) == (first, school_staff, school_staff.school)
    body = staff.get("/api/v1/school/notices/").json()
    assert body["unread_count"] == 1
    assert [(row["id"], row["is_read"]) for row in body["results"]] == [(second.pk, False), (first.pk, True)]


def test_marking_read_twice_keeps_the_first_mark(staff, family):
    notice = event(family())
    for _ in range(2):
        assert staff.post(f"/api/v1/school/notices/{notice.pk}/read/").status_code == 200
    assert SchoolNoticeRead.objects.count() == 1


def test_an_other_schools_notice_cannot_be_marked(staff, west_head, east_catchment):
    foreign = event(west_head)
    assert staff.post(f"/api/v1/school/notices/{foreign.pk}/read/").status_code == 404
    assert staff.post(reverse("schoolsync:notice_mark_read", args=[foreign.pk])).status_code == 404
    assert not SchoolNoticeRead.objects.exists()


def test_the_page_costs_the_same_queries_for_many_notices(staff, family, django_assert_max_num_queries):
    child = family()
    event(child)
    with django_assert_max_num_queries(12) as few:
        staff.get(reverse("schoolsync:school_home"))
    for _ in range(15):
        event(family(), ChangeEvent.Kind.ADDRESS_CHANGED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff.get(reverse("schoolsync:school_home"))
    assert response.content.decode().count('class="unread"') == 16


def test_a_parent_may_not_read_school_notices(login, parent, family):
    client = login(parent)
    assert client.get("/api/v1/school/notices/").status_code == 403
    assert client.get(reverse("schoolsync:school_home")).status_code == 403


def test_an_area_with_numbers_and_parity_selects_addresses_in_sql(school_east, east_catchment):
    from hukou.models import Address
    from schoolsync.models import CatchmentArea

    area = CatchmentArea(school=school_east, year=YEAR, community=east_catchment.community, road="湖滨东路")
    area.number_from, area.number_to, area.parity = 1, 9, "even"
    addresses = [AddressFactory(community=east_catchment.community, road="湖滨东路", number=n) for n in (2, 3, 10)]
    inside = set(Address.objects.filter(area.address_q()).values_list("number", flat=True))
    assert inside == {2}
    assert [area.contains(a) for a in addresses] == [True, False, False]


def test_notices_are_paged_from_the_school_page(staff, family):
    child = family()
    for _ in range(21):
        event(child)
    first = staff.get(reverse("schoolsync:school_home")).content.decode()
    assert first.count("data-event=") == 20
    assert 'href="/school/?page=2"' in first
    assert staff.get("/school/?page=2").content.decode().count("data-event=") == 1


AREAS = [
    {},
    {"road": "湖滨东路"},
    {"road": "湖滨东路", "number_from": 3, "number_to": 8},
    {"road": "湖滨东路", "number_from": 3},
    {"road": "湖滨东路", "parity": "even"},
    {"road": "湖滨东路", "number_from": 4, "number_to": 4, "building": "2"},
]
PLACES = [("湖滨东路", 2, "1"), ("湖滨东路", 3, "1"), ("湖滨东路", 4, "2"), ("湖滨东路", 9, "2"), ("桃源街", 4, "2")]


@pytest.mark.parametrize("fields", AREAS)
def test_the_sql_and_python_catchment_tests_agree(school_east, east_catchment, fields):
    from django.db.models import Exists

    from hukou.models import Address, Household
    from schoolsync.models import CatchmentArea

    east_catchment.delete()
    area = CatchmentArea.objects.create(school=school_east, year=YEAR, community=east_catchment.community, **fields)
    for road, number, building in PLACES:
        address = AddressFactory(community=area.community, road=road, number=number, building=building)
        household = HouseholdFactory(address=address)
        found = Household.objects.annotate(
            inside=Exists(CatchmentArea.objects.filter(pk=area.pk).containing("address"))
        ).get(pk=household.pk)
        by_address = Address.objects.filter(area.address_q(), pk=address.pk).exists()
        assert found.inside is by_address is area.contains(address), (fields, road, number, building)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_marking_the_same_notice_at_once_leave_one_mark(school_staff, family):
    import threading

    from django.db import connection

    from accounts.models import User
    from common.roles import Role
    from schoolsync.services.notices import school_notice_mark_read

    colleague = User.objects.create(username="school_staff_2", role=Role.SCHOOL_STAFF, school=school_staff.school)
    notice = event(family())
    barrier, errors = threading.Barrier(2), []

    def mark(user):
        try:
            barrier.wait()
            school_notice_mark_read(actor=user, change_event_id=notice.pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(user,)) for user in (school_staff, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SchoolNoticeRead.objects.filter(change_event=notice).count() == 1
