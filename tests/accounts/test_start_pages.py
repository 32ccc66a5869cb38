import pytest
from django.urls import reverse

from tests.cast import PASSWORD

CAST_START_PAGES = [
    ("clerk_east", "/hukou/", "工作台"),
    ("aux_east", "/hukou/", "工作台"),
    ("approver_east", "/hukou/approvals/", "待审签办件"),
    ("admin_east", "/hukou/station/", "超期办件"),
    ("school_staff", "/school/", "东城第一小学"),
    ("parent", "/accounts/me/", "我的家庭"),
    ("sysadmin", "/admin/", "户籍e窗 管理后台"),
]


def test_home_page_is_chinese_with_a_login_link(client, db):
    body = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in body
    assert "户籍e窗" in body
    assert "登录" in body


def test_home_page_switches_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)

    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Hukou e-Window" in body
    assert "Log in" in body


@pytest.mark.parametrize(("member", "start_url", "marker"), CAST_START_PAGES)
def test_each_role_lands_on_its_own_start_page(client, request, member, start_url, marker):
    user = request.getfixturevalue(member)

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == start_url
    assert marker in response.content.decode()


def test_it_refuses_a_wrong_password_in_chinese(client, clerk_east):
    response = client.post(reverse("accounts:login"), {"username": "clerk_east", "password": "wrong"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_stay_chinese_when_the_browser_asks_for_english(client, db):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in body
