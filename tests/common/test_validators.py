"""The shared validators of common.validators (issue #11, finding 4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.validators import (
    amount_validate,
    birth_date_validate,
    integer_id_validate,
    mobile_validate,
    name_validate,
    phone_validate,
    text_validate,
)


@pytest.mark.parametrize("name", ["张三", "欧阳小红", "阿依古丽·买买提", "Anna Maria", "扎西顿珠"])
def test_it_accepts_plausible_names(name):
    assert name_validate(f"  {name} ") == name


@pytest.mark.parametrize(
    "name",
    ["", "   ", "张\u202e三", "张\u200b三", "张三😀", "张\x00三", "=SUM(1)", "@x", "+1", "3张三", "张三²", "张三３",
     "张-三", "·张", "张··三", "张" * 65, 123, ["张三"]],
)  # fmt: skip
def test_it_refuses_implausible_names(name):
    with pytest.raises(ValidationError):
        name_validate(name)


def test_it_normalises_the_middle_dot():
    assert name_validate("阿依古丽•买买提") == "阿依古丽·买买提"


@pytest.mark.parametrize("value, expected", [("13800000000", "13800000000"), ("138 0000-0000", "13800000000")])
def test_it_accepts_mobile_numbers(value, expected):
    assert mobile_validate(value) == expected


@pytest.mark.parametrize(
    "value", ["abc-not-a-phone", "12800000000", "１３８００００００００", "1380000000", 13800000000]
)
def test_it_refuses_bad_mobile_numbers(value):
    with pytest.raises(ValidationError):
        mobile_validate(value)


def test_a_phone_may_be_a_landline_with_area_code():
    assert phone_validate("0791-88888888") == "0791-88888888"
    with pytest.raises(ValidationError):
        phone_validate("88888888")


@pytest.mark.parametrize(
    "value", ["0001-01-01", "1800-01-01", "1899-12-31", "2999-01-01", "２０２０-01-01", "2020-1-1", [2020]]
)
def test_it_refuses_implausible_birth_dates(value):
    with pytest.raises(ValidationError):
        birth_date_validate(value)


def test_it_accepts_birth_dates_from_1900_to_today():
    assert birth_date_validate("1900-01-01") == dt.date(1900, 1, 1)
    assert birth_date_validate(dt.date.today()) == dt.date.today()


@pytest.mark.parametrize(
    "value", ["NaN", "1e10", "abc", "-0.00", "-1", "20.001", Decimal("NaN"), Decimal("-0"), 20.5, True, "１０"]
)
def test_it_refuses_implausible_amounts(value):
    with pytest.raises(ValidationError):
        amount_validate(value)


@pytest.mark.parametrize("value, expected", [("20", Decimal("20")), ("20.50", Decimal("20.50")), (0, Decimal("0"))])
def test_it_accepts_plain_amounts(value, expected):
    assert amount_validate(value) == expected


def test_an_amount_above_the_maximum_is_refused():
    with pytest.raises(ValidationError):
        amount_validate("10001")


def test_text_keeps_line_breaks_only_when_multiline():
    assert text_validate("一\n二", max_length=10, multiline=True) == "一\n二"
    for bad in ("一\n二", "一\u202e二", "x" * 11):
        with pytest.raises(ValidationError):
            text_validate(bad, max_length=10)


@pytest.mark.parametrize("value", ["abc", "¹", 1.5, True, -1, 0, [1]])
def test_record_ids_are_positive_whole_numbers(value):
    with pytest.raises(ValidationError):
        integer_id_validate(value)
