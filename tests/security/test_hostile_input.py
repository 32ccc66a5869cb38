"""Hostile input through every form and API that writes or looks up personal data (issue #11).

Each attack answers a clear 400 (API, in the one error format) or a form error, and leaves the
database as it was: the rows of every registry table are counted before and after. File-upload
attacks are tested with the upload pipeline (tests/documents)."""

import json

import pytest
from django.contrib.auth import get_user_model

from hukou.codes import Relationship
from hukou.models import Case, CaseTransition, ChangeEvent, Guardianship, Household, Person
from tests.factories import AddressFactory, CommunityFactory, valid_id_number

pytestmark = pytest.mark.django_db

TEN_MB = "张" * (10 * 1024 * 1024 // 3)
HOSTILE_TEXT = {
    "nul": "张\x00三",
    "control": "张\x1b[31m三",
    "superscript_digits": "张三²",
    "fullwidth_digits": "张三３６０",
    "rtl_override": "张\u202e三",
    "zero_width": "张\u200b三",
    "emoji": "张三😀",
    "formula_equals": '=HYPERLINK("http://evil.example","点我")',
    "formula_at": "@SUM(A1:A9)",
    "formula_plus": "+1+1",
    "ten_megabytes": TEN_MB,
}
# ID numbers that look like numbers to ``str.isdigit`` but are not ASCII.
HOSTILE_ID_NUMBERS = {
    "superscript": "36010219850615²01X",
    "fullwidth": "３６０１０２１９８５０６１５００１Ｘ",
    "arabic_indic": "٣٦٠١٠٢١٩٨٥٠٦١٥٠٠١٩",
    "nul": "3601021985061500\x0019",
    "rtl": "\u202e360102198506150019",
}
WRONG_TYPES = {
    "name_number": {"name": 123},
    "name_list": {"name": ["张三"]},
    "ethnicity_list": {"ethnicity": []},
    "sex_object": {"sex": {"M": True}},
    "birth_date_list": {"birth_date": [2026, 11, 1]},
    "father_text": {"father_id": "abc"},
    "father_float": {"father_id": 1.5},
    "father_bool": {"father_id": True},
    "father_missing": {"father_id": 999999},
    "unknown_key": {"is_admin": True},
    "nested_arrays": {"native_place": [[[[[[["x"]]]]]]]},
    "nul_in_text": {"native_place": "南昌\u0000"},
}
CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


def _counts() -> dict[str, int]:
    models = [Case, CaseTransition, Person, Household, Guardianship, ChangeEvent, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def unchanged(db):
    """Call to assert no registry row was added or removed since the fixture ran."""
    holder = {}

    def check():
        assert _counts() == holder["before"]

    holder["check"] = check
    return holder


def _before(unchanged):
    unchanged["before"] = _counts()
    return unchanged["check"]


def _form_error_shown(answer) -> bool:
    """The form came back with an error at a field or above the form (templates/_field.html)."""
    return 'role="alert"' in answer.content.decode()


def _api_error(answer, status=400):
    assert answer.status_code == status, answer.content[:300]
    body = answer.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["message"]
    return body


# --- the case receive API ------------------------------------------------------------------------


def _receive(client, **body):
    return client.post("/api/v1/cases/receive/", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("attack", HOSTILE_TEXT, ids=list(HOSTILE_TEXT))
def test_case_receive_refuses_hostile_child_names(client, clerk_east, east_household, east_head, unchanged, attack):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="birth", applicant_name="张建华", household=east_household.pk,
        payload={**CHILD, "name": HOSTILE_TEXT[attack]},
    )  # fmt: skip

    _api_error(answer)
    check()


@pytest.mark.parametrize("attack", HOSTILE_TEXT, ids=list(HOSTILE_TEXT))
def test_case_receive_refuses_hostile_applicant_names(client, clerk_east, east_household, east_head, unchanged, attack):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="birth", applicant_name=HOSTILE_TEXT[attack], household=east_household.pk, payload=CHILD
    )

    _api_error(answer)
    check()


@pytest.mark.parametrize("attack", WRONG_TYPES, ids=list(WRONG_TYPES))
def test_case_receive_refuses_wrong_json_types(client, clerk_east, east_household, east_head, unchanged, attack):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="birth", applicant_name="张建华", household=east_household.pk,
        payload={**CHILD, **WRONG_TYPES[attack]},
    )  # fmt: skip

    _api_error(answer)
    check()


@pytest.mark.parametrize(
    "payload", ["abc", 5, ["name"], None, True], ids=["text", "number", "list", "null", "bool"]
)  # fmt: skip
def test_case_receive_refuses_a_payload_that_is_not_an_object(
    client, clerk_east, east_household, east_head, unchanged, payload
):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="birth", applicant_name="张建华", household=east_household.pk, payload=payload
    )

    _api_error(answer)
    check()


def test_case_receive_refuses_100k_nested_arrays(client, clerk_east, east_household, unchanged):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = client.post("/api/v1/cases/receive/", "[" * 100_000, content_type="application/json")

    _api_error(answer)
    check()


@pytest.mark.parametrize(
    "changes", [{"name": 5}, {"name": ["张"]}, {"name": "张\u0000"}, "name", {"name": {"a": 1}}],
    ids=["number", "list", "nul", "text", "object"],
)  # fmt: skip
def test_a_correction_refuses_wrong_change_types(client, clerk_east, east_household, east_head, unchanged, changes):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="correction", applicant_name="张建华", person=east_head.pk,
        payload={"changes": changes, "reason": "更正"},
    )  # fmt: skip

    _api_error(answer)
    check()


@pytest.mark.parametrize(
    "address_id", ["abc", 999999, -1, [1], 1.5], ids=["text", "missing", "negative", "list", "float"]
)
def test_a_move_in_refuses_an_address_id_that_is_not_one(client, clerk_east, east, unchanged, address_id):
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="move_in", applicant_name="王五",
        payload={"address_id": address_id, "person": {**CHILD, "name": "王五", "sex": "M", "birth_date": "1990-01-01"}},
    )  # fmt: skip

    _api_error(answer)
    check()


# --- household PATCH -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "搬迁\u0000"},
        {"reason": TEN_MB},
        {"reason": "搬迁", "kind": []},
        {"reason": "搬迁", "kind": "palace"},
        {"reason": "搬迁", "address": "abc"},
        {"reason": "搬迁", "address": "¹"},
        {"reason": "搬迁", "address": [1]},
        {"reason": ["搬迁"]},
        [["kind"]],
    ],
    ids=["nul", "10mb", "kind_list", "kind_unknown", "address_text", "address_superscript", "address_list",
         "reason_list", "nested"],
)  # fmt: skip
def test_household_patch_refuses_hostile_input(client, clerk_east, east_household, east_head, unchanged, body):
    client.force_login(clerk_east)
    check = _before(unchanged)
    version = east_household.version

    answer = client.patch(
        f"/api/v1/households/{east_household.pk}/", json.dumps(body), content_type="application/json",
        headers={"If-Match": f'"household-{east_household.pk}-v{version}"'},
    )  # fmt: skip

    _api_error(answer)
    check()
    east_household.refresh_from_db()
    assert east_household.version == version


def test_household_patch_refuses_a_superscript_if_match(client, clerk_east, east_household, east_head):
    client.force_login(clerk_east)

    answer = client.patch(
        f"/api/v1/households/{east_household.pk}/", {"reason": "搬迁", "kind": "collective"},
        content_type="application/json", headers={"If-Match": '"household-1-v¹"'},
    )  # fmt: skip

    _api_error(answer)


# --- the birth form ------------------------------------------------------------------------------


def _birth_form(east_household, **fields):
    return {
        "household_number": east_household.number, "applicant_name": "张建华", "name": "张小红", "sex": "F",
        "birth_date": "2026-11-01", "ethnicity": "01", "relationship": Relationship.DAUGHTER, **fields,
    }  # fmt: skip


@pytest.mark.parametrize("attack", HOSTILE_TEXT, ids=list(HOSTILE_TEXT))
def test_the_birth_form_refuses_hostile_names(login, clerk_east, east_household, east_head, unchanged, attack):
    client = login(clerk_east)
    check = _before(unchanged)

    answer = client.post("/hukou/cases/new/birth/", _birth_form(east_household, name=HOSTILE_TEXT[attack]))

    # 200 with the form's errors, or 400 when the body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB).
    assert (answer.status_code, _form_error_shown(answer)) in {(200, True), (400, False)}
    check()


@pytest.mark.parametrize("attack", HOSTILE_ID_NUMBERS, ids=list(HOSTILE_ID_NUMBERS))
def test_the_birth_form_refuses_hostile_id_numbers(login, clerk_east, east_household, east_head, unchanged, attack):
    client = login(clerk_east)
    check = _before(unchanged)

    child = _birth_form(east_household, id_number=HOSTILE_ID_NUMBERS[attack][:18], father_id_number="³" * 18)
    answer = client.post("/hukou/cases/new/birth/", child)

    assert answer.status_code in (200, 400)
    check()


@pytest.mark.parametrize(
    "fields",
    [{"applicant_phone": "abc-not-a-phone"}, {"applicant_phone": "138００００００⁰⁰"}, {"note": "备注\u202e"},
     {"applicant_id_number": "360102198506150018"}, {"birth_date": "0001-01-01"}],
    ids=["phone_text", "phone_superscript", "note_rtl", "applicant_checksum", "birth_year_1"],
)  # fmt: skip
def test_the_birth_form_refuses_implausible_fields(login, clerk_east, east_household, east_head, unchanged, fields):
    client = login(clerk_east)
    check = _before(unchanged)

    answer = client.post("/hukou/cases/new/birth/", _birth_form(east_household, **fields))

    assert answer.status_code == 200
    check()


# --- parent registration -------------------------------------------------------------------------


def _registration(**fields):
    number = valid_id_number(birth_date=__import__("datetime").date(1985, 6, 15))
    return {
        "mobile": "13912345678", "real_name": "张建华", "id_number": number,
        "password1": "Hukou-Passw0rd-26", "password2": "Hukou-Passw0rd-26", **fields,
    }  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [{"id_number": value} for value in HOSTILE_ID_NUMBERS.values()]
    + [{"real_name": HOSTILE_TEXT[key]} for key in ("rtl_override", "zero_width", "emoji", "formula_equals", "nul")]
    + [{"mobile": "１３９１２３４５６７８"}, {"mobile": "1391234567\x00"}],
    ids=[f"id_{key}" for key in HOSTILE_ID_NUMBERS]
    + ["name_rtl", "name_zero_width", "name_emoji", "name_formula", "name_nul", "mobile_fullwidth", "mobile_nul"],
)  # fmt: skip
def test_registration_refuses_hostile_input(client, unchanged, fields):
    check = _before(unchanged)

    answer = client.post("/accounts/register/", _registration(**fields))

    assert answer.status_code in (200, 400)
    assert _form_error_shown(answer) or answer.status_code == 400
    check()


# --- the school lookup ---------------------------------------------------------------------------


@pytest.mark.parametrize("attack", HOSTILE_ID_NUMBERS, ids=list(HOSTILE_ID_NUMBERS))
def test_the_school_lookup_refuses_hostile_id_numbers(login, school_staff, unchanged, attack):
    client = login(school_staff)
    check = _before(unchanged)

    answer = client.post("/school/lookup/", {"id_number": HOSTILE_ID_NUMBERS[attack], "year": ""})

    assert answer.status_code == 400
    check()


@pytest.mark.parametrize("year", ["²⁰²⁷", "2027\x00", "1e3"], ids=["superscript", "nul", "exponent"])
def test_the_school_lookup_refuses_hostile_years(login, school_staff, east_child, unchanged, year):
    client = login(school_staff)
    check = _before(unchanged)

    answer = client.post("/school/lookup/", {"id_number": east_child.id_number, "year": year})

    assert answer.status_code == 400
    check()


# --- the pull feed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after", ["¹", "１", "٣", "1e3", "-1", "9" * 5000, "a\x00"],
    ids=["superscript", "fullwidth", "arabic", "exponent", "negative", "huge", "nul"],
)  # fmt: skip
def test_the_pull_feed_refuses_hostile_versions(client, sysadmin, after):
    client.force_login(sysadmin)

    answer = client.get("/api/v1/sync/changes/", {"after": after})

    _api_error(answer)


# --- control characters anywhere in a query or path ----------------------------------------------


@pytest.mark.parametrize(
    "url", ["/hukou/?q=a%00b", "/api/v1/persons/?q=%00", "/hukou/?q=%1b", "/hukou/?a%00=1"],
    ids=["page", "api", "escape", "key"],
)  # fmt: skip
def test_control_characters_in_a_query_answer_400(login, clerk_east, url):
    answer = login(clerk_east).get(url)

    assert answer.status_code == 400
    if url.startswith("/api/"):
        _api_error(answer)
    else:
        assert "请求" in answer.content.decode()


def test_a_nul_in_the_verification_path_answers_400_anonymously(client):
    answer = client.get("/verify/abc%00def/")

    assert answer.status_code == 400
    assert "不允许" in answer.content.decode()


def test_a_move_in_to_a_west_address_is_refused(client, clerk_east, west, unchanged):
    address = AddressFactory(community=CommunityFactory(station=west))
    client.force_login(clerk_east)
    check = _before(unchanged)

    answer = _receive(
        client, business_type="move_in", applicant_name="王五",
        payload={"address_id": address.pk, "person": {**CHILD, "name": "王五", "sex": "M", "birth_date": "1990-01-01"}},
    )  # fmt: skip

    assert _api_error(answer)["fields"]["payload.address_id"]
    check()
