"""Failed logins are limited per account and per address on every door (login page, admin login,
token API); successes do not count; the client address behind a trusted proxy; API tokens
expire and end at logout."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from common.ratelimit import client_ip
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_limits(settings):
    cache.clear()
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "login": "5/min", "login_account": "3/hour"},
    }
    yield
    cache.clear()


def login_page(client, username, password, address="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_login(client, username, password, address="10.0.0.1"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=address)


def test_the_admin_login_refuses_the_right_password_after_too_many_failures(client, sysadmin):
    for _ in range(3):
        assert admin_login(client, "sysadmin", "wrong").status_code == 200

    response = admin_login(client, "sysadmin", PASSWORD)

    assert response.status_code == 429
    assert "登录失败尝试次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_at_the_admin_count_for_the_login_page_and_the_token_api(client, sysadmin):
    for _ in range(3):
        admin_login(client, "sysadmin", "wrong")

    assert login_page(client, "sysadmin", PASSWORD).status_code == 429
    token = client.post("/api/v1/auth/token/", {"username": "sysadmin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert token.status_code == 429
    assert token.json()["code"] == "throttled"


def test_successful_logins_do_not_count(client, clerk_east):
    for _ in range(8):
        response = login_page(client, "clerk_east", PASSWORD)
        assert response.status_code == 302
        client.post(reverse("accounts:logout"))


def test_one_account_is_limited_whatever_the_address(client, clerk_east):
    for number in range(3):
        login_page(client, "clerk_east", "wrong", address=f"10.0.1.{number}")

    assert login_page(client, "clerk_east", PASSWORD, address="10.0.9.9").status_code == 429


def test_colleagues_behind_the_same_address_are_not_locked_out_by_one_account(client, clerk_east, approver_east):
    for _ in range(3):
        login_page(client, "clerk_east", "wrong")

    assert login_page(client, "approver_east", PASSWORD).status_code == 302


def test_one_address_is_limited_across_accounts(client, clerk_east, approver_east):
    for name in ("a", "b", "c", "d", "e"):
        login_page(client, name, "wrong")

    assert login_page(client, "approver_east", PASSWORD).status_code == 429
    assert login_page(client, "approver_east", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(request) == "192.0.2.1"
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_HOPS = 3
    assert client_ip(request) == "192.0.2.1"


def obtain(client):
    response = client.post("/api/v1/auth/token/", {"username": "clerk_east", "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def test_an_expired_token_is_refused_and_a_new_one_is_issued(client, clerk_east, settings):
    key = obtain(client)
    Token.objects.filter(key=key).update(created=timezone.now() - settings.API_TOKEN_TTL - dt.timedelta(seconds=1))

    refused = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert refused.status_code in (401, 403)  # 403: the session scheme comes first (no WWW-Authenticate)
    assert refused.json()["code"] == "authentication_failed"
    assert not Token.objects.filter(key=key).exists()
    fresh = obtain(client)
    assert fresh != key
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_a_live_token_is_handed_out_again(client, clerk_east):
    assert obtain(client) == obtain(client)


def test_logging_out_of_the_site_ends_the_api_token(client, clerk_east):
    key = obtain(client)
    client.force_login(clerk_east)

    client.post(reverse("accounts:logout"))

    assert not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_the_api_logout_deletes_the_token(client, clerk_east):
    key = obtain(client)

    response = client.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)
