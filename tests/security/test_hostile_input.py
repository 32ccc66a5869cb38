"""Hostile input through the registration page and the import: formula-like and invisible
names, impossible phones and birth dates, a decompression bomb. A clear error, nothing written."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from common.idnumber import make_id_number
from hukou.models import Person
from hukou.services.importer import registry_import
from tests.hukou.test_import import HEADER, write_csv
from tests.sms_gateway import last_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]


def register(client, gateway, **fields):
    """Through the one-time code step: the code texted to 13900000077 is typed back."""
    client.post(reverse("accounts:register"), {"mobile": "13900000077", "action": "send_code"})
    data = {"mobile": "13900000077", "code": last_code(gateway, "13900000077"), "real_name": "王五",
            "id_number": "11010519491231002X", "password1": "Kx93-lmq-2026", "password2": "Kx93-lmq-2026",
            "action": "register", **fields}  # fmt: skip
    return client.post(reverse("accounts:register"), data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("real_name", "=HYPERLINK(\"http://evil\")", "姓名含有不允许的字符"),
     ("real_name", "王\u202e五", "姓名含有不允许的字符"),
     ("real_name", "王五😀", "姓名只能由文字"),
     ("mobile", "abc-not-a-phone", "请输入11位大陆手机号码")],
)  # fmt: skip
def test_registration_refuses_hostile_names_and_phones(client, sms_gateway, field, value, message):
    response = register(client, sms_gateway, **{field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_registration_accepts_a_minority_name_and_a_grouped_phone(client, sms_gateway):
    response = register(client, sms_gateway, real_name="阿卜杜拉·艾则孜", mobile="139 0000 0077")

    assert response.status_code == 302
    assert User.objects.get().real_name == "阿卜杜拉·艾则孜"
    assert User.objects.get().mobile == "13900000077"


def row(name, number="11010519491231002X", birth="1949-12-31"):
    return ["36010299000009", "青山社区", "青山路", "9", "1", "1", "101", "户主", name, number, "", birth, "2000-01-01"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil","点我")', "@SUM(1+1)", "+1+1", "-1", "王\u200b五"])
def test_the_import_refuses_formula_like_and_invisible_names(tmp_path, east, admin_east, name):
    result = registry_import(path=write_csv(tmp_path / "f.csv", [row(name)], HEADER), station=east, actor=admin_east)

    assert result.imported_rows == 0
    assert [error["column"] for error in result.errors] == ["name"]
    assert not Person.objects.exists()


def test_the_import_refuses_a_birth_date_before_1900(tmp_path, east, admin_east):
    import datetime as dt

    number = make_id_number(region="110105", birth_date=dt.date(1899, 5, 1), sequence=1, male=True)
    result = registry_import(
        path=write_csv(tmp_path / "old.csv", [row("王五", number, "1899-05-01")], HEADER),
        station=east,
        actor=admin_east,
    )

    assert result.imported_rows == 0
    assert "1900-01-01" in result.errors[0]["message"]


def test_an_xlsx_that_inflates_too_far_is_refused_before_it_is_opened(tmp_path, east, admin_east, settings):
    settings.IMPORT_XLSX_MAX_SHARED_STRINGS_MB = 1
    workbook = Workbook()
    workbook.active.append(HEADER)
    path = tmp_path / "bomb.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>A</t></si>" * 200_000 + "</sst>")
    assert path.stat().st_size < 200_000

    with pytest.raises(ValidationError) as error:
        registry_import(path=path, station=east, actor=admin_east)

    assert error.value.code == "xlsx_too_large"
    assert not Person.objects.exists()


def test_a_json_body_nested_too_deeply_is_a_400(login, clerk_east):
    response = login(clerk_east).post("/api/v1/cases/receive/", "[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("after", ["¹", "١", "-1", "9" * 40])
def test_the_sync_feed_refuses_odd_numbers_with_a_400(login, sysadmin, after):
    response = login(sysadmin).get("/api/v1/sync/changes/", {"after": after})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "url", ["/hukou/?q=a%00b", "/api/v1/persons/?q=%00", "/verify/abc%00def/", "/api/v1/cases/?x%00=1"]
)
def test_a_nul_character_in_the_url_is_a_400(login, clerk_east, url):
    response = login(clerk_east).get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "invalid"
