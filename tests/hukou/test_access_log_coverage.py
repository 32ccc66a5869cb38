"""Issue #11, finding 9: every page and endpoint that shows personal data writes an access-log
entry, under the station that owns the data (also for school staff, parents, the system admin,
the public and the education system), and household views name the persons they showed."""

import pytest

from hukou.models import AccessLog, Certificate
from hukou.services.certificates import certificate_issue
from hukou.services.registry import person_correct

pytestmark = pytest.mark.django_db


def _entries(**filters):
    return list(AccessLog.objects.filter(**filters).prefetch_related("persons"))


def _one(target_prefix: str) -> AccessLog:
    entries = [entry for entry in _entries() if entry.target.startswith(target_prefix)]
    assert entries, f"no access-log entry for {target_prefix}: {[e.target for e in _entries()]}"
    return entries[-1]


def test_the_approvals_page_is_logged(login, approver_east, east):
    assert login(approver_east).get("/hukou/approvals/").status_code == 200

    entry = _one("approvals")
    assert (entry.user, entry.station) == (approver_east, east)


@pytest.mark.parametrize("url, target", [("/api/v1/duplicates/", "duplicates"), ("/api/v1/cases/", "cases")])
def test_the_case_and_duplicate_lists_are_logged(client, clerk_east, east, url, target):
    client.force_login(clerk_east)

    assert client.get(url).status_code == 200

    assert _one(target).station == east


def test_the_household_page_names_its_members(login, clerk_east, east, east_head, east_child):
    assert login(clerk_east).get(f"/hukou/households/{east_head.household_id}/").status_code == 200

    entry = _one(f"household:{east_head.household_id}")
    assert entry.station == east
    assert set(entry.persons.all()) == {east_head, east_child}


def test_the_household_api_names_its_members(client, sysadmin, east, east_head, east_child):
    client.force_login(sysadmin)

    assert client.get(f"/api/v1/households/{east_head.household_id}/").status_code == 200

    entry = _one(f"household:{east_head.household_id}")
    assert (entry.user, entry.station) == (sysadmin, east)
    assert set(entry.persons.all()) == {east_head, east_child}


def test_a_re_rendered_case_form_with_a_persons_details_is_logged(login, clerk_east, east, east_head):
    answer = login(clerk_east).post(
        "/hukou/cases/new/correction/",
        {"person_id_number": east_head.id_number, "applicant_name": "张建华", "field": "name",
         "new_value": "张\u202e华", "reason": "更正"},
    )  # fmt: skip

    assert answer.status_code == 200
    entry = _one(f"person:{east_head.pk}")
    assert (entry.person, entry.station, entry.purpose) == (east_head, east, "受理表单")


def test_the_public_verification_page_is_logged_under_the_issuing_station(client, clerk_east, east, east_child):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)
    client.logout()

    assert client.get(f"/verify/{certificate.token}/").status_code == 200
    assert client.get(f"/api/v1/verify/{certificate.token}/").status_code == 200

    entries = [entry for entry in _entries() if entry.target.startswith("verify:")]
    assert len(entries) == 2
    assert {(entry.user, entry.station, entry.person) for entry in entries} == {(None, east, east_child)}


def test_the_pull_feed_is_logged_under_each_childs_station(client, settings, clerk_east, east, east_child):
    person_correct(actor=clerk_east, person_id=east_child.pk, changes={"name": "张小刚"}, reason="更正")
    settings.EDU_SYNC_PULL_TOKEN = "edu-key"

    answer = client.get("/api/v1/sync/changes/", {"after": 0}, headers={"Authorization": "Bearer edu-key"})

    assert answer.status_code == 200 and answer.json()["changes"]
    entry = _one("sync:changes")
    assert (entry.user, entry.station, entry.person) == (None, east, east_child)


def test_a_school_lookup_is_logged_under_the_childs_station(login, school_staff, east, east_child, east_rule):
    login(school_staff).post("/school/lookup/", {"id_number": east_child.id_number, "year": ""})

    entry = AccessLog.objects.get(user=school_staff, action=AccessLog.Action.LOOKUP)
    assert (entry.station, entry.person) == (east, east_child)


def test_a_parents_view_is_logged_under_the_childs_station(login, parent, east, east_child):
    assert login(parent).get("/accounts/me/").status_code == 200

    entry = AccessLog.objects.get(user=parent)
    assert (entry.station, entry.person) == (east, east_child)


@pytest.fixture
def certificate(clerk_east, east_child):
    return certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)


@pytest.mark.parametrize(
    "url",
    [
        lambda o: "/admin/hukou/person/",
        lambda o: f"/admin/hukou/person/{o['head'].pk}/change/",
        lambda o: "/admin/hukou/household/",
        lambda o: f"/admin/hukou/household/{o['head'].household_id}/change/",
        lambda o: "/admin/accounts/user/",
        lambda o: f"/admin/accounts/user/{o['clerk'].pk}/change/",
        lambda o: "/admin/hukou/certificate/",
        lambda o: f"/admin/hukou/certificate/{o['certificate'].pk}/change/",
        lambda o: "/admin/hukou/changeevent/",
        lambda o: "/admin/schoolsync/outboundevent/",
    ],
    ids=["person_list", "person", "household_list", "household", "user_list", "user", "certificate_list",
         "certificate", "event_list", "outbound_list"],
)  # fmt: skip
def test_admin_screens_with_personal_data_are_logged(
    client, sysadmin, clerk_east, east, east_head, east_child, certificate, url
):
    person_correct(actor=clerk_east, person_id=east_child.pk, changes={"name": "张小刚"}, reason="更正")
    client.force_login(sysadmin)
    before = AccessLog.objects.count()

    answer = client.get(url({"head": east_head, "clerk": clerk_east, "certificate": certificate}))

    assert answer.status_code == 200
    entries = list(AccessLog.objects.order_by("pk")[before:])
    assert entries, "the admin screen wrote no access-log entry"
    assert all(entry.user == sysadmin and entry.target.startswith("admin:") for entry in entries)
    assert east in {entry.station for entry in entries}


def test_the_admin_person_list_masks_id_numbers(client, sysadmin, east_head):
    client.force_login(sysadmin)

    body = client.get("/admin/hukou/person/").content.decode()

    assert east_head.masked_id_number in body
    assert east_head.id_number not in body
