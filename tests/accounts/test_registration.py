"""Parent registration: a one-time code proves the mobile number; the ID number binds only
with proof (the registry's record of that mobile number, or a clerk's check at the window)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import OneTimeCode, User
from common.idnumber import check_digit, make_id_number
from common.roles import Role
from tests.sms_gateway import last_code, texts_to

pytestmark = pytest.mark.django_db
VALID_ID = make_id_number(region="360102", birth_date=dt.date(1988, 2, 29), sequence=7, male=True)
MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _form(**overrides):
    data = {
        "mobile": MOBILE,
        "code": "",
        "real_name": "王家长",
        "id_number": VALID_ID,
        "password1": "safe-Passw0rd-2026",
        "password2": "safe-Passw0rd-2026",
        "action": "register",
    }
    data.update(overrides)
    return data


def _send_code(client, gateway, mobile=MOBILE) -> str:
    response = client.post(reverse("accounts:register"), {"mobile": mobile, "action": "send_code"})
    assert response.status_code == 200, response.content.decode()
    return last_code(gateway, mobile)


def test_it_texts_a_code_and_stores_only_its_hash(client, sms_gateway):
    code = _send_code(client, sms_gateway)

    row = OneTimeCode.objects.get(mobile=MOBILE)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert "验证码" in texts_to(sms_gateway, MOBILE)[-1]


def test_it_registers_a_parent_with_the_code_and_logs_them_in(client, sms_gateway):
    code = _send_code(client, sms_gateway)

    response = client.post(reverse("accounts:register"), _form(code=code))

    assert response.status_code == 302
    assert response.url == reverse("accounts:parent_home")
    user = User.objects.get(mobile=MOBILE)
    assert user.role == Role.PARENT and user.id_number == VALID_ID
    assert user.mobile_verified_at is not None
    assert user.identity_verified_at is None  # no registry record of this mobile: pending
    assert client.get(reverse("accounts:parent_home")).status_code == 200


def test_it_refuses_registration_without_the_right_code_and_writes_nothing(client, sms_gateway):
    code = _send_code(client, sms_gateway)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:register"), _form(code=wrong))

    assert response.status_code == 400
    assert "验证码错误" in response.content.decode()
    assert not User.objects.exists()
    assert OneTimeCode.objects.get(mobile=MOBILE).attempts == 1


def test_a_code_dies_after_too_many_wrong_attempts(client, sms_gateway, settings):
    settings.OTP_MAX_ATTEMPTS = 2
    code = _send_code(client, sms_gateway)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(2):
        client.post(reverse("accounts:register"), _form(code=wrong))

    response = client.post(reverse("accounts:register"), _form(code=code))

    assert response.status_code == 400
    assert "验证码已失效或未获取" in response.content.decode()
    assert not User.objects.exists()


def test_an_expired_code_is_refused(client, sms_gateway):
    code = _send_code(client, sms_gateway)
    OneTimeCode.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    response = client.post(reverse("accounts:register"), _form(code=code))

    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_code_works_once(client, sms_gateway):
    code = _send_code(client, sms_gateway)
    client.post(reverse("accounts:register"), _form(code=code))
    client.logout()
    User.objects.all().delete()

    response = client.post(reverse("accounts:register"), _form(code=code))

    assert response.status_code == 400
    assert not User.objects.exists()


def test_sending_codes_is_rate_limited_per_number(client, sms_gateway, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "otp_send": "2/hour"}}
    for _ in range(2):
        _send_code(client, sms_gateway, mobile="13911110000")

    response = client.post(reverse("accounts:register"), {"mobile": "13911110000", "action": "send_code"})

    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
    assert len(texts_to(sms_gateway, "13911110000")) == 2


def test_a_gateway_failure_says_so_and_voids_the_code(client, sms_gateway, settings):
    settings.SMS_GATEWAY_TOKEN = "wrong"

    response = client.post(reverse("accounts:register"), {"mobile": "13922220000", "action": "send_code"})

    assert response.status_code == 503
    assert "短信发送失败" in response.content.decode()
    assert not OneTimeCode.objects.filter(mobile="13922220000", expires_at__gt=dt.datetime.now(dt.UTC)).exists()


def test_it_accepts_a_lower_case_x_check_digit(client, sms_gateway):
    number = "11010519491231002X"
    code = _send_code(client, sms_gateway)
    client.post(reverse("accounts:register"), _form(id_number=number.lower(), code=code))

    assert User.objects.get(mobile=MOBILE).id_number == number


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"), "身份号码校验位错误"),
        ("36010219881332001", "公民身份号码应为18位"),
        ("36010219881332001" + check_digit("36010219881332001"), "出生日期或地区码不存在"),
    ],
)
def test_it_refuses_an_invalid_id_number_and_writes_nothing(client, id_number, message):
    response = client.post(reverse("accounts:register"), _form(id_number=id_number, code="123456"))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_bad_mobile_number_and_mismatched_passwords(client):
    response = client.post(reverse("accounts:register"), _form(mobile="12345", password2="other-Passw0rd"))

    body = response.content.decode()
    assert "请输入11位大陆手机号码" in body
    assert "两次输入的密码不一致" in body
    assert not User.objects.exists()
