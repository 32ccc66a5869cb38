"""ID numbers typed with non-ASCII digits: full-width digits mean the same number (so they meet
the uniqueness rules), Arabic-Indic and superscript digits are refused with a clear message, on
every path that takes an ID number, and never cause a 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import IdentityClaim, User
from common.idnumber import normalize_id_number, validate_id_number
from hukou.codes import Relationship
from hukou.models import AccessLog, Case, Person
from hukou.services.importer import registry_import
from tests.factories import PersonFactory
from tests.hukou.test_import import HEADER, write_csv
from tests.schoolsync.eligibility_fixtures import YEAR
from tests.sms_gateway import last_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

ONLY_DIGITS = "身份号码只能由数字0-9和X组成。"


def full_width(number: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in number)


def arabic_indic(number: str) -> str:
    return "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in number)


def superscript(number: str) -> str:
    """One superscript two in place of the first 2 (or of the last digit)."""
    at = number.find("2") if "2" in number[:17] else 16
    return number[:at] + "²" + number[at + 1 :]


def test_full_width_digits_and_x_fold_into_the_ascii_number():
    assert validate_id_number(full_width("11010519491231002x")) == "11010519491231002X"


@pytest.mark.parametrize("spoil", [arabic_indic, superscript])
def test_other_digits_are_refused_with_a_clear_message(spoil):
    with pytest.raises(ValidationError) as error:
        validate_id_number(spoil("11010519491231002X"))

    assert error.value.code == "id_characters"


def test_the_database_refuses_a_number_not_in_the_canonical_form(east_household):
    person = PersonFactory(household=east_household)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(id_number=arabic_indic(person.id_number))


def test_saving_a_person_stores_the_canonical_form(east_head):
    east_head.id_number = full_width(east_head.id_number.lower())
    east_head.save()

    east_head.refresh_from_db()
    assert east_head.id_number == normalize_id_number(east_head.id_number)
    assert east_head.id_number.isascii()


# --- Registration (anonymous) --------------------------------------------------------------


def register(client, gateway, id_number, mobile="13900000077", real_name="王五"):
    """Through the one-time code step, as a person would: ask for the code, type it back."""
    client.post(reverse("accounts:register"), {"mobile": mobile, "action": "send_code"})
    return client.post(
        reverse("accounts:register"),
        {"mobile": mobile, "code": last_code(gateway, mobile), "real_name": real_name, "id_number": id_number,
         "password1": "Kx93-lmq-2026", "password2": "Kx93-lmq-2026", "action": "register"},
    )  # fmt: skip


def test_registration_with_the_full_width_form_of_a_bound_number_is_the_same_number(
    client, sms_gateway, parent, east_head
):
    """The full-width form is stored as the ASCII number, so it meets the existing binding: no
    second bound account, but a claim against the parent for the station to decide."""
    east_head.mobile = "13900000077"  # the registry now records the newcomer's phone for the head
    east_head.save(update_fields=["mobile"])

    response = register(client, sms_gateway, full_width(parent.id_number), real_name=east_head.name)

    assert response.status_code == 302
    newcomer = User.objects.get(mobile="13900000077")
    assert newcomer.id_number == parent.id_number
    assert newcomer.identity_verified_at is None
    assert User.objects.filter(id_number=parent.id_number, identity_verified_at__isnull=False).get() == parent
    assert IdentityClaim.objects.get(claimant=newcomer).holder == parent


@pytest.mark.parametrize("spoil", [arabic_indic, superscript])
def test_registration_with_other_digits_says_what_is_wrong(client, sms_gateway, spoil, east_head):
    response = register(client, sms_gateway, spoil(east_head.id_number))

    assert response.status_code == 400
    assert ONLY_DIGITS in response.content.decode()
    assert not User.objects.exists()


# --- School lookup ---------------------------------------------------------------------------


def lookup(client, id_number):
    return client.post(
        "/api/v1/school/eligibility/", {"id_number": id_number, "year": YEAR}, content_type="application/json"
    )


def test_the_school_finds_a_child_by_the_full_width_number(login, school_staff, family):
    child = family()

    response = lookup(login(school_staff), full_width(child.id_number))

    assert response.status_code == 200
    assert response.json()["items"]["id_number"] == child.id_number


@pytest.mark.parametrize("spoil", [arabic_indic, superscript])
def test_a_school_lookup_with_other_digits_is_a_400_and_is_logged(login, school_staff, family, spoil):
    child = family()

    response = lookup(login(school_staff), spoil(child.id_number))

    assert response.status_code == 400
    assert ONLY_DIGITS in str(response.json())
    entry = AccessLog.objects.get(user=school_staff)
    assert entry.target == "id:invalid"


def test_the_school_lookup_page_with_a_superscript_is_a_form_error(login, school_staff, family):
    child = family()

    response = login(school_staff).post(
        reverse("schoolsync:school_lookup"),
        {"id_number": superscript(child.id_number), "purpose": "enrolment", "year": YEAR},
    )

    assert response.status_code in (200, 400)
    assert ONLY_DIGITS in response.content.decode()
    assert AccessLog.objects.filter(user=school_staff, target="id:invalid").count() == 1


# --- Birth case form ---------------------------------------------------------------------------


def birth(client, household, **fields):
    data = {"household_number": household.number, "applicant_name": "张建华", "name": "张小红", "sex": "F",
            "birth_date": "2026-11-01", "ethnicity": "01", "relationship": Relationship.DAUGHTER, **fields}  # fmt: skip
    return client.post("/hukou/cases/new/birth/", data)


@pytest.mark.parametrize("field", ["id_number", "father_id_number"])
@pytest.mark.parametrize("spoil", [arabic_indic, superscript])
def test_the_birth_form_refuses_other_digits(login, clerk_east, east_household, east_head, field, spoil):
    response = birth(login(clerk_east), east_household, **{field: spoil(east_head.id_number)})

    assert response.status_code in (200, 400)
    assert "身份号码" in response.content.decode()
    assert not Case.objects.exists()


def test_the_birth_form_finds_the_father_by_the_full_width_number(login, clerk_east, east_household, east_head):
    response = birth(login(clerk_east), east_household, father_id_number=full_width(east_head.id_number))

    assert response.status_code == 302
    assert Case.objects.get().payload["father_id"] == east_head.pk


# --- Import ------------------------------------------------------------------------------------


def import_row(tmp_path, station, user, id_number, birth="1970-01-01"):
    row = ["36010299000009", "青山社区", "青山路", "9", "1", "1", "101", "户主", "王九", id_number, "男",
           birth, "2000-01-01"]  # fmt: skip
    return registry_import(path=write_csv(tmp_path / "rows.csv", [row], HEADER), station=station, actor=user)


def test_the_import_refuses_the_full_width_form_of_a_registered_number(tmp_path, east_head, admin_east):
    result = import_row(
        tmp_path, east_head.household.station, admin_east, full_width(east_head.id_number), str(east_head.birth_date)
    )

    assert result.imported_rows == 0
    assert [error["column"] for error in result.errors] == ["id_number"]
    assert Person.objects.filter(id_number=east_head.id_number).count() == 1


@pytest.mark.parametrize("spoil", [arabic_indic, superscript])
def test_the_import_says_what_is_wrong_with_other_digits(tmp_path, east, admin_east, spoil):
    number = "110105197001010011"
    result = import_row(tmp_path, east, admin_east, spoil(number))

    assert result.imported_rows == 0
    assert [error["message"] for error in result.errors] == [ONLY_DIGITS]
    assert not Person.objects.exists()


def test_birth_dates_are_unchanged_by_normalising(east_household):
    person = PersonFactory(household=east_household, birth_date=dt.date(2001, 2, 3))
    assert validate_id_number(full_width(person.id_number)) == person.id_number
