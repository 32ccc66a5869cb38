"""The Django admin speaks Chinese: app names, list columns, filters and field labels."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_admin_index_names_every_app_in_chinese(login, sysadmin):
    text = _text(login(sysadmin).get("/admin/"))

    for english in ("Common", "COMMON", "Household registry", "School sync", "Accounts"):
        assert english not in text
    assert "公共设置" in text and "户籍登记" in text


def test_case_and_person_lists_have_chinese_columns_and_filters(login, sysadmin, east_child):
    client = login(sysadmin)
    cases = _text(client.get("/admin/hukou/case/"))
    persons = _text(client.get("/admin/hukou/person/"))

    assert "业务类型" in cases and "Business type" not in cases and "BUSINESS TYPE" not in cases
    assert "按业务类型" in cases and "以 " not in cases
    assert "姓名" in persons and "名称" not in persons


def test_a_person_s_form_labels_father_and_mother_in_chinese(login, sysadmin, east_child):
    text = _text(login(sysadmin).get(f"/admin/hukou/person/{east_child.pk}/change/"))

    assert "父亲" in text and "母亲" in text
    assert "Father" not in text and "Mother" not in text
