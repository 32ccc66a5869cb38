"""Every route of the URL configuration against every actor of the cast, with real object ids
of station East. The expected outcome of each (route, actor) is in ``authz_expected.py``; a route
without a row there fails the test, so a new view cannot ship without someone deciding who may
use it. Every answer must also be below 500.

Routes naming an object of booking/queue, materials or parent identities (``authz_world.py``) are
visited twice: with East's object (the parent's) and with West's (the second parent's); the second
visit's expected row is in ``EXPECTED_WEST``.

Outcomes: ``O`` allowed (any answer that is not a denial: 2xx, 3xx elsewhere than the login page,
400 for an empty form, 405, 409), ``-`` denied (401/403, or a redirect to a login page), ``H``
hidden (404: the object exists but is not visible to this actor).

Regenerate the observed table after adding a route with ``HUKOU_AUTHZ_DUMP=1 pytest
tests/security/test_authz_matrix.py -s`` and review every changed character before pasting it.
"""

from __future__ import annotations

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from common.roles import Role
from hukou.codes import Relationship
from hukou.models import ArchivePage, Certificate, ChangeEvent, DuplicateSuspect, ImportJob
from hukou.services.certificates import certificate_issue
from hukou.services.registry import guardianship_set
from tests.cast import _user
from tests.factories import PersonFactory, completed_case_factory
from tests.security.authz_expected import ACTORS, ADMIN_PREFIX, ADMIN_ROW, EXPECTED, EXPECTED_WEST, POST_ROUTES
from tests.security.authz_world import WEST_KINDS, station_objects

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def routes() -> list[tuple[str, str, list[str]]]:
    """(name, regex-free route, parameter names) of every named URL pattern."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else f"{namespace}{prefix}{pattern.pattern}"
                yield name, prefix + str(pattern.pattern), list(pattern.pattern.converters)

    return sorted({(name, route, tuple(params)) for name, route, params in walk(get_resolver().url_patterns)})


@pytest.fixture
def world(east_household, east_head, east_child, clerk_east, admin_east, clerk_west, school_staff, parent, sysadmin,
          west_household, west_head, settings, tmp_path):  # fmt: skip
    """The cast, a second parent (of West) and one object of East of every kind a route names
    (and of West, for the apps of ``authz_world``)."""
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "10000/min") | {"login_account": "10000/hour"},
    }
    parent_west = _user("13800000002", Role.PARENT, mobile="13800000002", id_number=west_head.id_number)
    parent_west.real_name = west_head.name
    parent_west.save(update_fields=["real_name"])
    case = completed_case_factory(person=east_child, user=clerk_east)
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)
    guardianship = guardianship_set(
        actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=Relationship.FATHER,
        has_custody=True, reason="矩阵测试",
    )  # fmt: skip
    twin = PersonFactory(
        household=east_household, name=east_child.name, birth_date=east_child.birth_date, relationship=Relationship.SON
    )
    duplicate = DuplicateSuspect.objects.create(person=twin, suspected_of=east_child, reason="same_name_sex_birth")
    page = ArchivePage.objects.create(
        file=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n"), title="扫描件", person=east_child, case=case,
        uploaded_by=clerk_east,
    )  # fmt: skip
    job = ImportJob.objects.create(station=east_household.station, created_by=admin_east, original_name="x.csv")
    event = ChangeEvent.objects.create(kind="name_changed", person=east_child, household=east_household)
    actors = {"anon": None, "clerk_east": clerk_east, "admin_east": admin_east, "clerk_west": clerk_west,
              "school": school_staff, "parent": parent, "parent_west": parent_west, "sysadmin": sysadmin}  # fmt: skip
    ids = {
        "household": east_household.pk, "person": east_child.pk, "case": case.pk, "certificate": certificate.pk,
        "guardianship": guardianship.pk, "duplicate": duplicate.pk, "page": page.pk, "job": job.pk,
        "event": event.pk, "token": certificate.token, "code": "birth", "action": "submit", "step": "photo",
        "admin_id": east_child.pk, "app_label": "hukou", "url": "no-such-page", "content_type": 1,
    }  # fmt: skip
    east_ids, west_ids = station_objects(
        east=east_household.station, west=west_household.station, east_child=east_child, parent=parent,
        parent_west=parent_west, west_head=west_head,
    )  # fmt: skip
    return actors, ids | east_ids, ids | west_ids


# Which object a parameter of a route names (by route, else by parameter name).
PARAMS_BY_ROUTE = {
    "hukou:duplicate_decide": {"pk": "duplicate"}, "api-duplicate-decide": {"pk": "duplicate"},
    "hukou:case_detail": {"pk": "case"}, "hukou:case_action": {"pk": "case"}, "api-case-detail": {"pk": "case"},
    "hukou:archive_page": {"pk": "page"},
    "hukou:import_detail": {"pk": "job"}, "hukou:import_progress": {"pk": "job"},
    "hukou:person_detail": {"pk": "person"}, "api-person-detail": {"pk": "person"},
    "api-person-timeline": {"pk": "person"}, "api-guardianship-set": {"pk": "person"},
    "hukou:household_detail": {"pk": "household"}, "hukou:household_edit": {"pk": "household"},
    "hukou:household_head_change": {"pk": "household"}, "api-household-detail": {"pk": "household"},
    "api-household-change-head": {"pk": "household"},
    "hukou:certificate_detail": {"pk": "certificate"}, "hukou:certificate_pdf": {"pk": "certificate"},
    "hukou:certificate_print": {"pk": "certificate"}, "hukou:certificate_revoke": {"pk": "certificate"},
    "api-certificate-detail": {"pk": "certificate"}, "api-certificate-print": {"pk": "certificate"},
    "hukou:guardian_end": {"pk": "guardianship"}, "api-guardianship-end": {"pk": "guardianship"},
    # Parent identities.
    "accounts:identity_claim_decide": {"pk": "claim"}, "accounts:parent_certificate": {"pk": "certificate"},
    # Booking and the queue.
    "appointments:booking_detail": {"code": "booking"}, "appointments:booking_cancel": {"code": "booking"},
    "appointments:booking_reschedule": {"code": "booking"}, "api-booking-cancel": {"code": "booking"},
    "appointments:ticket_page": {"token": "ticket_token"}, "appointments:ticket_rate": {"token": "ticket_token"},
    "appointments:ticket_report": {"token": "ticket_token"},
    "appointments:ticket_print": {"pk": "ticket"}, "appointments:ticket_done": {"pk": "ticket"},
    "appointments:ticket_case_return": {"pk": "ticket"}, "api-ticket-call": {"pk": "ticket"},
    "api-ticket-recall": {"pk": "ticket"}, "api-window-call-next": {"pk": "window"},
    "appointments:console_action": {"action": "console_action"},
    "appointments:follow_up_detail": {"pk": "follow_up"},
    # Materials pre-review.
    "documents:guide_detail": {"code": "guide"}, "documents:upload_file": {"pk": "upload"},
    "documents:item_sample": {"item_id": "checklist_item"},  # a checklist item, not an applicant's
    "api-documents-guide": {"code": "guide"}, "api-documents-checklist": {"code": "guide"},
    # Where they meet: the visit of an application, the desk's ticket.
    "appointments:booking_late": {"code": "booking"}, "api-booking-late": {"code": "booking"},
    "documents:visit_start": {"code": "booking"}, "documents:visit_tie": {"code": "booking"},
    "appointments:desk_ticket": {"pk": "ticket"}, "documents:ticket_receive": {"ticket_id": "ticket"},
}  # fmt: skip
PARAMS_BY_NAME = {"person_id": "person", "event_id": "event", "token": "token", "code": "code", "action": "action",
                  "step": "step", "object_id": "admin_id", "app_label": "app_label", "id": "admin_id", "url": "url",
                  "content_type_id": "content_type", "window_id": "window", "station_code": "station_code",
                  "item_id": "item", "version": "notice_version", "variant": "variant"}  # fmt: skip


def key_of(name: str, param: str) -> str | None:
    """Which object of the world a route's parameter names."""
    key = PARAMS_BY_ROUTE.get(name, {}).get(param) or PARAMS_BY_NAME.get(param)
    if key is None and param == "pk" and name.startswith("api-case-"):
        key = "case"  # every step of the case API
    if key is None and param == "pk" and name.startswith(("documents:", "api-documents-")):
        key = "application"  # every page of one application
    if key is None and name.startswith(ADMIN_PREFIX) and param == "pk":
        key = "admin_id"
    return key


def url_of(name: str, route: str, params: tuple[str, ...], ids: dict) -> str:
    path = route
    for param in params:
        key = key_of(name, param)
        assert key is not None, f"{name}: no object for the parameter {param!r} (add it to PARAMS_BY_ROUTE)"
        path = _substitute(path, param, str(ids[key]))
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def _substitute(path: str, param: str, value: str) -> str:
    return re.sub(rf"<(?:\w+:)?{param}>|\(\?P<{param}>[^)]*\)", value, path, count=1)


def outcome(response) -> str:
    assert response.status_code < 500, f"{response.status_code}"
    if response.status_code in (401, 403):
        return "-"
    if response.status_code == 404:
        return "H"
    if response.status_code in (301, 302) and response.url.split("?")[0].endswith(LOGIN_PATHS):
        return "-"
    return "O"


def observe(name, method, url, actors) -> str:
    row = ""
    for actor_name in ACTORS:
        client = Client()
        if actors[actor_name] is not None:
            client.force_login(actors[actor_name])
        if method == "POST":
            api = url.startswith("/api/")
            response = (
                client.post(url, data="{}" if api else {}, content_type="application/json")
                if api
                else client.post(url, {})
            )
        else:
            response = client.get(url)
            assert response.status_code != 405, f"{name} answers GET with 405: list it in POST_ROUTES"
        try:
            row += outcome(response)
        except AssertionError as exc:
            raise AssertionError(f"{method} {url} as {actor_name}: {exc}") from None
    return row


def visits(ids_east: dict, ids_west: dict):
    """(table, name, method, url) of every route, and again with West's objects where it names one."""
    for name, route, params in routes():
        method = "POST" if name in POST_ROUTES else "GET"
        yield EXPECTED, name, method, url_of(name, route, params, ids_east)
        if not name.startswith(ADMIN_PREFIX) and {key_of(name, param) for param in params} & WEST_KINDS:
            yield EXPECTED_WEST, name, method, url_of(name, route, params, ids_west)


def test_every_route_has_an_expected_row_and_behaves_as_expected(world):
    actors, ids_east, ids_west = world
    observed, missing, wrong = [], [], []
    for table, name, method, url in visits(ids_east, ids_west):
        row = observe(name, method, url, actors)
        label = name if table is EXPECTED else f"{name} (West)"
        observed.append((table, name, row))
        expected = table.get(name) or (ADMIN_ROW if name.startswith(ADMIN_PREFIX) else None)
        if expected is None:
            missing.append(label)
        elif not _matches(row, expected):
            wrong.append(f"{label} ({method} {url}): expected {expected}, got {row}")
    if os.environ.get("HUKOU_AUTHZ_DUMP"):
        for table, name, row in observed:
            if not name.startswith(ADMIN_PREFIX):
                print(f'    "{name}": "{row}",{"  # West" if table is EXPECTED_WEST else ""}')
    assert not missing, f"routes without an expected row in authz_expected.py: {missing}"
    assert not wrong, "\n".join(wrong)


def _matches(row: str, expected: str) -> bool:
    """``?`` in the expected row accepts any outcome but a 5xx (admin object pages differ by model)."""
    return len(row) == len(expected) and all(e in ("?", r) for r, e in zip(row, expected, strict=True))
