"""The station admin's overview: constant queries, scheduled runs, who saw whom."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.models import CalendarOverride, ScheduledRun
from hukou.codes import Relationship
from hukou.models import AccessLog, BusinessType, Case
from hukou.selectors.station import StationSection, station_section_register, station_section_unregister
from hukou.services.access import access_log_record
from hukou.services.cases import case_receive

CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


def open_cases(clerk, household, count):
    for _ in range(count):
        case_receive(
            actor=clerk, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
            household=household, payload=CHILD,
        )  # fmt: skip


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/hukou/station/").status_code == 200
    return len(captured.captured_queries)


def test_it_costs_the_same_queries_for_1_and_20_open_cases(login, admin_east, clerk_east, east_household, east_head):
    CalendarOverride.objects.create(date=timezone.localdate() - dt.timedelta(days=1), is_working_day=True)
    client = login(admin_east)
    open_cases(clerk_east, east_household, 1)
    one = queries_for(client)

    open_cases(clerk_east, east_household, 19)
    twenty = queries_for(client)

    assert Case.objects.filter(status__in=Case.OPEN_STATUSES).count() == 20
    assert twenty == one


def test_it_shows_the_last_run_of_each_scheduled_task(login, admin_east):
    started = timezone.now()
    ScheduledRun.objects.create(task="hukou.case_lapse_overdue", started_at=started, finished_at=started,
                                counts={"lapsed": 3})  # fmt: skip
    ScheduledRun.objects.create(task="schoolsync.sweep", started_at=started, error="ConnectionError: refused")

    page = login(admin_east).get("/hukou/station/").content.decode()

    assert "hukou.case_lapse_overdue" in page and "lapsed: 3" in page
    assert "schoolsync.sweep" in page and "ConnectionError" in page


def test_the_access_log_shows_who_was_seen_masked_and_the_case_number(
    login, admin_east, clerk_east, east_household, east_head
):
    open_cases(clerk_east, east_household, 1)
    case = Case.objects.get()
    case.person = east_head
    access_log_record(actor=clerk_east, action=AccessLog.Action.VIEW, subject=case, purpose="办件查看")

    client = login(admin_east)
    overview = client.get("/hukou/station/").content.decode()
    log = client.get("/hukou/station/access-log/").content.decode()

    masked = east_head.name[0] + "*"
    for page in (overview, log):
        assert case.number in page and masked in page
    assert f"case:{case.pk}" not in overview


def test_other_apps_add_sections_without_hukou_importing_them(login, admin_east):
    def parking(*, station):
        return StationSection(title="停车位", rows=[f"{station.code} 共 12 个"])

    station_section_register(parking)
    try:
        page = login(admin_east).get("/hukou/station/").content.decode()
    finally:
        station_section_unregister(parking)

    assert "停车位" in page and "共 12 个" in page
