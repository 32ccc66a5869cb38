import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from common.idnumber import birth_date_of, check_digit, make_id_number, mask_id_number, sex_of, validate_id_number


def test_it_accepts_the_standard_example_with_x_check_digit():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_made_numbers_are_valid_and_carry_birth_date_and_sex():
    number = make_id_number(region="360102", birth_date=dt.date(2019, 9, 1), sequence=321, male=False)

    assert validate_id_number(number) == number
    assert birth_date_of(number) == dt.date(2019, 9, 1)
    assert sex_of(number) == "F"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "id_length"),
        ("110105194912310021", "id_checksum"),
        ("11010519490230002" + check_digit("11010519490230002"), "id_component"),
    ],
)
def test_it_says_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)

    assert error.value.code == code


def test_masking_hides_the_birth_date():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number(None) == ""


def test_it_accepts_numbers_typed_in_groups():
    assert validate_id_number(" 110105 19491231 002x ") == "11010519491231002X"
