"""Guards against trying passwords, ID numbers and tokens in bulk, and against a stranger
binding somebody else's ID number to see their children."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from hukou.models import AccessLog
from tests.cast import PASSWORD


@pytest.fixture(autouse=True)
def low_limits(settings):
    cache.clear()
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "login": "3/min", "register": "2/hour", "verify": "2/min"},
    }
    yield
    cache.clear()


def test_login_attempts_are_limited_per_address_with_a_chinese_message(client, clerk_east):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "clerk_east", "password": "wrong"})

    response = client.post(reverse("accounts:login"), {"username": "clerk_east", "password": PASSWORD})

    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_attempts_share_the_login_budget(client, clerk_east):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "clerk_east", "password": "wrong"})

    response = client.post("/api/v1/auth/token/", {"username": "clerk_east", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["message"] == "请求过于频繁，请稍后再试。"


def test_registrations_are_limited_per_address_and_write_nothing(client, db):
    for number in range(2):
        client.post(reverse("accounts:register"), {"mobile": f"1390000000{number}"})
    before = User.objects.count()

    response = client.post(reverse("accounts:register"), {"mobile": "13900000009"})

    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert User.objects.count() == before


def test_a_parent_whose_name_does_not_match_the_registry_sees_no_children(login, parent, east_child):
    parent.real_name = "冒名者"
    parent.save()

    body = login(parent).get(reverse("accounts:parent_home")).content.decode()

    assert east_child.name not in body
    assert "尚未与有效户籍登记核验一致" in body
    assert not AccessLog.objects.exists()


def test_a_confirmed_parent_sees_the_child_and_the_view_is_logged(login, parent, east_child):
    body = login(parent).get(reverse("accounts:parent_home")).content.decode()

    assert east_child.name in body
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action) == (parent, "view")
    assert str(east_child.pk) in entry.target


def test_an_id_number_typed_into_a_search_is_logged_masked(login, clerk_east, east_head):
    login(clerk_east).get(reverse("hukou:workbench"), {"q": east_head.id_number})

    entry = AccessLog.objects.get(action="search")
    assert east_head.id_number not in entry.target
    assert east_head.masked_id_number in entry.target
