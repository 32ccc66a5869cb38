"""The pull API: changes after a version, paged, from a version that never skips a late commit."""

import threading

import pytest
from django.db import connection

from hukou.models import Person
from schoolsync.models import OutboundEvent
from tests.schoolsync.conftest import change

pytestmark = [pytest.mark.postgres]
KEY = "edu-pull-key-for-tests"
URL = "/api/v1/sync/changes/"


@pytest.fixture
def edu(client, settings):
    settings.EDU_SYNC_PULL_TOKEN = KEY
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {KEY}"
    return client


def test_the_feed_pages_through_every_change_in_version_order(edu, east_child, east_pupil):
    for index in range(5):
        change(east_child if index % 2 else east_pupil, name=f"名{index}")
    first = edu.get(URL, {"after": 0, "limit": 2}).json()
    assert [c["version"] for c in first["changes"]] == [1, 2]
    assert first["has_more"] is True and first["next_after"] == 2 and first["newest_version"] == 5
    second = edu.get(URL, {"after": first["next_after"], "limit": 2}).json()
    third = edu.get(URL, {"after": second["next_after"], "limit": 2}).json()
    assert [c["version"] for c in second["changes"] + third["changes"]] == [3, 4, 5]
    assert third["has_more"] is False
    last = third["changes"][-1]
    assert last["child"]["name"] == "名4" and last["sequence"] == 3 and last["type"] == "name_changed"
    caught_up = edu.get(URL, {"after": 5}).json()
    assert caught_up["changes"] == [] and caught_up["next_after"] == 5


def test_the_feed_refuses_a_bad_version_in_chinese(edu):
    answer = edu.get(URL, {"after": "-3"})
    assert answer.status_code == 400
    assert answer.json()["fields"]["after"] == ["必须是大于或等于零的整数。"]


def test_without_the_key_the_feed_answers_401_and_to_a_clerk_403(client, settings, login, clerk_east, east_child):
    settings.EDU_SYNC_PULL_TOKEN = KEY
    change(east_child, name="张小刚")
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    answer = login(clerk_east).get(URL)
    assert answer.status_code == 403 and "changes" not in answer.json()


def test_with_no_key_configured_the_bearer_scheme_is_refused(client, settings):
    settings.EDU_SYNC_PULL_TOKEN = ""
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_a_system_admin_may_read_the_feed_for_support(login, sysadmin, east_child):
    change(east_child, name="张小刚")
    assert login(sysadmin).get("/api/v1/sync/versions/").json() == {"oldest_version": 1, "newest_version": 1}


@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_late_with_a_lower_id_is_not_skipped(client, settings, east_child, east_pupil):
    settings.EDU_SYNC_PULL_TOKEN = KEY
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {KEY}"
    inserted, release = threading.Event(), threading.Event()

    def slow_change():
        from django.db import transaction

        from hukou.models import ChangeEvent
        from hukou.services.events import change_event_record

        try:
            with transaction.atomic():
                person = Person.objects.get(pk=east_child.pk)
                change_event_record(kind=ChangeEvent.Kind.NAME_CHANGED, person=person, changes={})
                inserted.set()
                release.wait(10)  # holds its lower id, uncommitted
        finally:
            connection.close()

    thread = threading.Thread(target=slow_change)
    thread.start()
    assert inserted.wait(10)
    change(east_pupil, name="后来者")  # higher id, commits first
    page = client.get(URL, {"after": 0}).json()
    assert [c["child"]["name"] for c in page["changes"]] == ["后来者"]
    release.set()
    thread.join()
    late = OutboundEvent.objects.get(person_id=east_child.pk)
    early = OutboundEvent.objects.get(person_id=east_pupil.pk)
    assert late.pk < early.pk  # an "id > last seen" reader would have skipped it
    page = client.get(URL, {"after": page["next_after"]}).json()
    assert [(c["version"], c["child"]["person_key"]) for c in page["changes"]] == [(2, str(east_child.pk))]
