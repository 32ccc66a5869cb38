"""The shared validators of common.validators (issue #11, findings 2, 4 and 12): what they
accept, what they refuse, and the code they refuse with."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.validators import (
    formula_safe,
    validate_birth_date,
    validate_date,
    validate_mobile,
    validate_money,
    validate_person_name,
    validate_phone,
    validate_plain_text,
    validate_record_id,
)


def refused(validator, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        validator(value, **kwargs)
    return error.value.code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("张小明", "张小明"), (" 欧阳娜娜 ", "欧阳娜娜"), ("阿卜杜拉·艾则孜", "阿卜杜拉·艾则孜"),
     ("阿卜杜拉•艾则孜", "阿卜杜拉·艾则孜"), ("买买提・吐尔逊", "买买提·吐尔逊"), ("Anna Müller", "Anna Müller"),
     ("王1", "王1"), ("测试1号", "测试1号"), ("扎西顿珠", "扎西顿珠"), ("Anna Maria", "Anna Maria")],
)  # fmt: skip
def test_it_accepts_chinese_minority_and_transliterated_names(typed, stored):
    assert validate_person_name(typed) == stored


@pytest.mark.parametrize(
    "name",
    ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1+1", "-2", "张\u202e明", "张\u200b明", "张明😀", "张\x00明",
     "张\t明", "·张明", "张明·", "张··明", "张  明", "1张", "3张三", "张<b>", "张-三", "张三²", "张三３", "", "   ",
     123, ["张三"], {"name": "张三"}],
)  # fmt: skip
def test_it_refuses_formulas_hidden_characters_emoji_digits_and_stray_dots(name):
    assert refused(validate_person_name, name) in {"name_characters", "name_required"}


def test_it_limits_the_length_of_a_name():
    assert refused(validate_person_name, "张" * 65) == "name_too_long"
    assert validate_person_name("张" * 20, max_length=20)


def test_plain_text_keeps_line_breaks_only_when_asked():
    assert validate_plain_text("第一行\r\n第二行", max_length=20, multiline=True) == "第一行\n第二行"
    assert refused(validate_plain_text, "第一行\n第二行", max_length=20) == "text_characters"
    assert refused(validate_plain_text, "x" * 21, max_length=20) == "text_too_long"
    assert refused(validate_plain_text, "正常\u202e文字", max_length=20) == "text_characters"
    assert refused(validate_plain_text, "正常\u200b文字", max_length=20, multiline=True) == "text_characters"
    assert refused(validate_plain_text, 5, max_length=20) == "text_characters"
    assert refused(validate_plain_text, "=1+1", max_length=20) == "text_characters"
    assert refused(validate_plain_text, " ", max_length=20, required=True) == "text_required"
    assert validate_plain_text(None, max_length=20) == ""


MOBILES = [
    ("13800000001", "13800000001"),
    ("138-0000-0001", "13800000001"),
    ("138 0000-0001", "13800000001"),
    ("+86 138 0000 0001", "13800000001"),
    ("１３８００００００01", "13800000001"),
]


@pytest.mark.parametrize(("typed", "number"), MOBILES)
def test_it_accepts_mainland_mobile_numbers(typed, number):
    assert validate_mobile(typed) == number


@pytest.mark.parametrize(
    "typed", ["abc-not-a-phone", "12800000001", "1380000000", "138000000012", "１³8", 13800000000, ["13800000000"]]
)
def test_it_refuses_what_is_not_a_mobile_number(typed):
    assert refused(validate_mobile, typed) == "mobile_invalid"


def test_a_phone_may_be_a_landline_with_area_code():
    assert validate_phone("0791-88888888") == "0791-88888888"
    assert validate_phone("138 0000 0001") == "13800000001"
    assert refused(validate_phone, "88888888") == "phone_invalid"


def test_birth_dates_lie_between_1900_and_today():
    today = dt.date(2026, 12, 1)
    assert validate_birth_date(dt.date(1900, 1, 1), today=today)
    assert validate_birth_date("1900-01-01", today=today) == dt.date(1900, 1, 1)
    assert validate_birth_date(today, today=today)
    for date in (dt.date(1, 1, 1), dt.date(1800, 1, 1), dt.date(1899, 12, 31), dt.date(2026, 12, 2), "0001-01-01"):
        assert refused(validate_birth_date, date, today=today) == "birth_date_range"


@pytest.mark.parametrize("value", ["２０２０-01-01", "2020-1-1", "2020-02-30", [2020], 2020])
def test_dates_are_iso_in_ascii_digits(value):
    assert refused(validate_date, value) == "date_invalid"
    assert refused(validate_birth_date, value) == "birth_date_invalid"


def test_money_is_finite_in_range_and_never_signed():
    assert validate_money("20") == Decimal("20.00")
    assert validate_money("20.50") == Decimal("20.50")
    assert validate_money(0) == Decimal("0.00")
    for value in ("NaN", "Infinity", "abc", "1e10", "-1", "-0.00", "0.001", "", "１０", 20.5, True, None,
                  Decimal("NaN"), Decimal("-0")):  # fmt: skip
        assert refused(validate_money, value) == "money_invalid"
    assert refused(validate_money, "10001", maximum=Decimal("10000")) == "money_range"


@pytest.mark.parametrize("value", ["abc", "¹", "１", 1.5, True, -1, 0, [1], 2**63])
def test_record_ids_are_positive_whole_numbers(value):
    assert refused(validate_record_id, value) == "record_id_invalid"


def test_record_ids_accept_ints_and_digit_strings():
    assert validate_record_id("42") == 42
    assert validate_record_id(7) == 7
    assert validate_record_id("") is None


def test_formulas_written_to_a_spreadsheet_become_text():
    assert [formula_safe(v) for v in ["=1+1", "@SUM", "+1", "-1", "\tx", "王1", 5]] == [
        "'=1+1", "'@SUM", "'+1", "'-1", "'\tx", "王1", 5]  # fmt: skip
