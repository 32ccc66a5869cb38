"""Nobody where they don't belong: refusals by role and by station, for pages and the API."""

import pytest
from django.urls import reverse

STAFF_PAGES = ["hukou:workbench", "hukou:approvals", "hukou:station_overview"]


@pytest.mark.parametrize("page", [*STAFF_PAGES, "schoolsync:school_home", "accounts:parent_home"])
def test_anonymous_users_are_sent_to_login(client, db, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_it_refuses_parents_and_school_staff_on_station_pages(login, parent, school_staff, page):
    for outsider in (parent, school_staff):
        response = login(outsider).get(reverse(page))

        assert response.status_code == 403
        assert "您的角色无权打开此页面" in response.content.decode()


def test_aux_clerk_may_not_open_approvals(login, aux_east):
    assert login(aux_east).get(reverse("hukou:approvals")).status_code == 403


def test_clerk_sees_own_station_households_only(login, clerk_east, east_head, west_head):
    body = login(clerk_east).get(reverse("hukou:workbench")).content.decode()

    assert east_head.household.number in body
    assert west_head.household.number not in body


def test_clerk_cannot_find_another_station_person_by_id_number(login, clerk_east, west_head):
    response = login(clerk_east).get(reverse("hukou:workbench"), {"q": west_head.id_number})

    assert west_head.household.number not in response.content.decode()
    assert "没有符合条件的户" in response.content.decode()


def test_workbench_shows_no_full_id_numbers(login, clerk_east, east_head):
    body = login(clerk_east).get(reverse("hukou:workbench")).content.decode()

    assert east_head.id_number not in body


def test_api_refuses_anonymous_users_in_the_common_error_format(client, db):
    response = client.get("/api/v1/households/")

    assert response.status_code in (401, 403)
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。", "fields": {}}


def test_api_error_message_follows_accept_language(client, db):
    response = client.get("/api/v1/households/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["message"] == "Please log in first."


def test_api_refuses_a_parent_with_a_clear_message(login, parent):
    response = login(parent).get("/api/v1/households/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "您的角色无权使用此接口。"


def test_api_lists_only_own_station_households_with_token_auth(client, clerk_west, east_head, west_head):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=clerk_west)
    response = client.get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {token.key}")

    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [west_head.household.number]


def test_api_token_is_issued_for_valid_credentials_only(client, clerk_east):
    from tests.cast import PASSWORD

    good = client.post("/api/v1/auth/token/", {"username": "clerk_east", "password": PASSWORD})
    bad = client.post("/api/v1/auth/token/", {"username": "clerk_east", "password": "nope"})

    assert good.status_code == 200 and len(good.json()["token"]) == 40
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert bad.json()["message"]


def test_search_is_written_to_the_access_log(login, clerk_east, east_head):
    from hukou.models import AccessLog

    login(clerk_east).get(reverse("hukou:workbench"), {"q": "张"})

    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.station) == (clerk_east, "search", clerk_east.station)


def test_access_log_cannot_be_edited_or_deleted(login, clerk_east, east_head):
    from hukou.models import AccessLog

    login(clerk_east).get(reverse("hukou:workbench"), {"q": "张"})
    entry = AccessLog.objects.get()

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 1


def test_unknown_api_paths_answer_in_the_common_error_format(client, db):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到，或您无权查看。", "fields": {}}


def test_unknown_pages_answer_with_the_chinese_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
