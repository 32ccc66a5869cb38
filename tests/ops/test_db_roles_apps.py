"""The restricted application role against booking/queue and the materials pre-review: the apps'
own services run as that role, end to end (what they insert, update and delete is granted), and
the records they never delete cannot be deleted (common/dbroles.py, RECORD_MODELS)."""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import connection

from appointments.models import Slot
from appointments.services import booking as bookings
from appointments.services import queue
from appointments.services.feedback import follow_up_answer, follow_up_open, rating_create
from appointments.services.schedule import slots_generate
from documents.models import Checklist, Upload, Verdict
from documents.seed import seed_load
from documents.services.applications import application_answer, application_start
from documents.services.notices import notice_issue
from documents.services.prereview import upload_prereview
from documents.services.uploads import upload_receive
from hukou.models import BusinessType
from tests import upload_samples as samples
from tests.appointments.fixtures import at, open_every_day, tomorrow
from tests.hukou.catalogue import load_business_catalogue
from tests.ops.test_db_roles import ROLE, app_connection, refused  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalogues")]


@pytest.fixture
def catalogues(transactional_db):
    """Business types and checklists (data migrations) again after other transactional tests' flushes."""
    load_business_catalogue()
    if not Checklist.objects.exists():
        seed_load(apps)


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@contextmanager
def as_app_role():
    """Django's own connection acting as the restricted role (``SET ROLE``: every privilege check
    is the role's from here on; the test is transactional, so each service commits as it would)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{ROLE}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_booking_and_the_queue_run_as_the_app_role(app_connection, east, parent, east_child, clerk_east, admin_east):  # noqa: F811
    birth = BusinessType.objects.get(code="birth")
    with as_app_role():
        assert _current_user() == ROLE
        rule = open_every_day(east)
        slots_generate(station_id=east.pk, day=tomorrow())
        slot = Slot.objects.get(station=east, starts_at=at(tomorrow(), 9))
        first = bookings.booking_create(account=parent, slot_id=slot.pk, business_type_id=birth.pk)
        bookings.booking_cancel(actor=parent, booking_id=first.pk)
        bookings.booking_create(account=parent, slot_id=slot.pk, business_type_id=birth.pk, person_id=east_child.pk)
        ticket = queue.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
        window = east.windows.get(number=1)
        assert queue.ticket_call_next(actor=clerk_east, window_id=window.pk) == ticket
        queue.ticket_recall(actor=clerk_east, ticket_id=ticket.pk)
        queue.ticket_start(actor=clerk_east, ticket_id=ticket.pk)
        ticket = queue.ticket_finish(actor=clerk_east, ticket_id=ticket.pk)
        rating_create(ticket=ticket, score=5)
        report = follow_up_open(station_id=east.pk, ticket=ticket, text="没有办成")
        follow_up_answer(actor=admin_east, follow_up_id=report.pk, answer="已联系")
        rule.delete()  # the admin deletes a schedule rule: its slots stay, unlinked

    assert Slot.objects.filter(station=east, rule__isnull=True).exists()
    refused(app_connection, "DELETE FROM appointments_booking")
    refused(app_connection, "DELETE FROM appointments_ticketcall")
    refused(app_connection, "DELETE FROM appointments_followup")


def test_the_materials_pre_review_runs_as_the_app_role(
    app_connection,  # noqa: F811
    parent,
    east_child,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    monkeypatch.setattr("documents.services.uploads._kick", lambda upload_id: None)  # the worker's part is below
    with as_app_role():
        assert _current_user() == ROLE
        application = application_start(user=parent, business_type_code="school_certificate", child_id=east_child.pk)
        application_answer(user=parent, application_id=application.pk, answers={"own_property": True})
        application_answer(user=parent, application_id=application.pk, answers={})  # deletes the items owed
        item = application.items.order_by("order").first()
        upload = upload_receive(user=parent, application_item_id=item.pk, data=samples.good_jpeg(), filename="a.jpg")
        upload_prereview(upload_id=upload.pk)  # deletes earlier automatic verdicts, writes new ones
        notice = notice_issue(application_id=application.pk, actor=parent)

    assert Upload.objects.get().state == Upload.State.DONE
    assert Verdict.objects.filter(upload=upload).exists()
    assert notice.version == 1
    refused(app_connection, "DELETE FROM documents_upload")
    refused(app_connection, "DELETE FROM documents_notice")
    refused(app_connection, "DELETE FROM documents_application")
