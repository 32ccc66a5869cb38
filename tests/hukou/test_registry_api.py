import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.idnumber import mask_id_number
from hukou.codes import Relationship
from hukou.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_person_detail_carries_an_etag_and_answers_304_when_unchanged(client, clerk_east, east_head):
    client.force_login(clerk_east)
    response = client.get(f"/api/v1/persons/{east_head.pk}/")
    etag = response["ETag"]

    again = client.get(f"/api/v1/persons/{east_head.pk}/", headers={"If-None-Match": etag})
    east_head.version += 1
    east_head.save()
    changed = client.get(f"/api/v1/persons/{east_head.pk}/", headers={"If-None-Match": etag})

    assert response.json()["id_number"] == east_head.id_number
    assert etag == f'"person-{east_head.pk}-v1"'
    assert again.status_code == 304
    assert changed.status_code == 200 and changed["ETag"] == f'"person-{east_head.pk}-v2"'
    assert AccessLog.objects.filter(person=east_head, action="view").count() == 3


def test_household_detail_lists_members_masked_for_aux_clerk(client, aux_east, east_head, east_child):
    client.force_login(aux_east)

    response = client.get(f"/api/v1/households/{east_head.household_id}/")

    members = response.json()["members"]
    assert {m["name"] for m in members} == {"张建华", "张小明"}
    assert mask_id_number(east_head.id_number) in {m["id_number"] for m in members}
    assert east_head.id_number not in response.content.decode()
    assert response["ETag"] == f'"household-{east_head.household_id}-v1"'


def test_another_stations_records_answer_404(client, clerk_west, east_head):
    client.force_login(clerk_west)

    for url in (f"/api/v1/persons/{east_head.pk}/", f"/api/v1/households/{east_head.household_id}/",
                f"/api/v1/persons/{east_head.pk}/timeline/"):  # fmt: skip
        assert client.get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_person_search_is_logged_and_scoped(client, clerk_east, east_head, west_head):
    client.force_login(clerk_east)

    rows = client.get("/api/v1/persons/", {"q": "zhangjian"}).json()["results"]
    west = client.get("/api/v1/persons/", {"q": west_head.id_number}).json()["results"]
    empty = client.get("/api/v1/persons/", {"q": ""})

    assert [row["name"] for row in rows] == ["张建华"]
    assert west == []
    assert empty.status_code == 400 and "q" in empty.json()["fields"]
    assert AccessLog.objects.filter(action="search").count() == 2


def test_timeline_lists_changes_with_reason(client, clerk_east, east_head):
    east_head.name = "张建国"
    east_head._change_reason = "更正姓名"
    east_head.save()
    client.force_login(clerk_east)

    timeline = client.get(f"/api/v1/persons/{east_head.pk}/timeline/").json()

    assert timeline[0]["reason"] == "更正姓名"
    assert timeline[0]["changes"][0]["before"] == "张建华"


def test_household_detail_queries_do_not_grow_with_members(client, clerk_east, east_head):
    client.force_login(clerk_east)
    url = f"/api/v1/households/{east_head.household_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(9):
        PersonFactory(household=east_head.household, relationship=Relationship.SON)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(url).json()["members"]) == 10

    assert len(ten.captured_queries) == len(one.captured_queries)


def test_schema_documents_the_registry_endpoints(client, clerk_east):
    client.force_login(clerk_east)
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    for path in ("/api/v1/persons/{id}/", "/api/v1/households/{id}/", "/api/v1/persons/{id}/timeline/",
                 "/api/v1/persons/", "/api/v1/access-log/"):  # fmt: skip
        assert path in paths
