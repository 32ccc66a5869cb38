import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from hukou.models import AccessLog
from hukou.services.access import access_log_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(clerk_east, aux_east, clerk_west, east_head):
    view = access_log_record(actor=clerk_east, action=AccessLog.Action.VIEW, target="person:1", purpose="核对")
    search = access_log_record(actor=aux_east, action=AccessLog.Action.SEARCH, target="q=张", purpose="窗口查询")
    west = access_log_record(actor=clerk_west, action=AccessLog.Action.SEARCH, target="q=李", purpose="西城查询")
    return view, search, west


def test_station_admin_reads_only_their_station(login, admin_east, entries):
    body = login(admin_east).get(reverse("hukou:access_log")).content.decode()

    assert "核对" in body and "窗口查询" in body
    assert "西城查询" not in body


def test_station_admin_filters_by_user_and_action(login, admin_east, aux_east, entries):
    client = login(admin_east)

    by_user = client.get(reverse("hukou:access_log"), {"user": aux_east.pk}).content.decode()
    by_action = client.get(reverse("hukou:access_log"), {"action": "view"}).content.decode()

    assert "窗口查询" in by_user and "核对" not in by_user
    assert "核对" in by_action and "窗口查询" not in by_action


def test_station_admin_filters_by_date(login, admin_east, entries):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    body = login(admin_east).get(reverse("hukou:access_log"), {"date_from": tomorrow}).content.decode()

    assert "核对" not in body


def test_clerk_may_not_read_the_access_log(login, clerk_east, entries):
    assert login(clerk_east).get(reverse("hukou:access_log")).status_code == 403


def test_api_lists_the_station_log_for_its_admin_only(client, admin_east, clerk_east, entries):
    client.force_login(admin_east)
    rows = client.get("/api/v1/access-log/", {"action": "search"}).json()["results"]
    client.force_login(clerk_east)

    assert [row["purpose"] for row in rows] == ["窗口查询"]
    assert client.get("/api/v1/access-log/").status_code == 403


def test_the_model_refuses_edits_and_deletes(entries):
    view = entries[0]
    view.purpose = "改过"
    with pytest.raises(TypeError):
        view.save()
    with pytest.raises(TypeError):
        view.delete()
    assert AccessLog.objects.get(pk=view.pk).purpose == "核对"


@pytest.mark.postgres
@pytest.mark.parametrize("statement", ["UPDATE hukou_accesslog SET purpose = 'x'", "DELETE FROM hukou_accesslog"])
def test_the_database_refuses_update_and_delete(entries, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert sorted(AccessLog.objects.values_list("purpose", flat=True)) == ["核对", "窗口查询", "西城查询"]
