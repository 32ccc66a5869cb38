import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import User
from common.idnumber import check_digit, make_id_number
from common.roles import Role

pytestmark = pytest.mark.django_db
VALID_ID = make_id_number(region="360102", birth_date=dt.date(1988, 2, 29), sequence=7, male=True)


def _form(**overrides):
    data = {
        "mobile": "13912345678",
        "real_name": "王家长",
        "id_number": VALID_ID,
        "password1": "safe-Passw0rd-2026",
        "password2": "safe-Passw0rd-2026",
    }
    data.update(overrides)
    return data


def test_it_registers_a_parent_and_logs_them_in(client):
    response = client.post(reverse("accounts:register"), _form())

    assert response.status_code == 302
    assert response.url == reverse("accounts:parent_home")
    user = User.objects.get(mobile="13912345678")
    assert user.role == Role.PARENT
    assert user.id_number == VALID_ID
    assert user.check_password("safe-Passw0rd-2026")
    assert client.get(reverse("accounts:parent_home")).status_code == 200


def test_it_accepts_a_lower_case_x_check_digit(client):
    number = "11010519491231002X"
    client.post(reverse("accounts:register"), _form(id_number=number.lower()))

    assert User.objects.get(mobile="13912345678").id_number == number


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"), "身份号码校验位错误"),
        ("36010219881332001", "公民身份号码应为18位"),
        ("36010219881332001" + check_digit("36010219881332001"), "出生日期或地区码不存在"),
    ],
)
def test_it_refuses_an_invalid_id_number_and_writes_nothing(client, id_number, message):
    response = client.post(reverse("accounts:register"), _form(id_number=id_number))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_second_account_for_the_same_id_number(client):
    client.post(reverse("accounts:register"), _form())
    client.logout()

    response = client.post(reverse("accounts:register"), _form(mobile="13700000000"))

    assert response.status_code == 400
    assert "无法使用该身份号码注册" in response.content.decode()
    assert User.objects.count() == 1


def test_it_refuses_a_bad_mobile_number_and_mismatched_passwords(client):
    response = client.post(reverse("accounts:register"), _form(mobile="12345", password2="other-Passw0rd"))

    body = response.content.decode()
    assert "请输入11位大陆手机号码" in body
    assert "两次输入的密码不一致" in body
    assert not User.objects.exists()
