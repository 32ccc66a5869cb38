"""Scheduled work leaves a trace: one ScheduledRun per run, with counts or the error."""

import datetime as dt

import pytest

from common.models import ScheduledRun
from common.scheduled import scheduled_run, scheduled_runs_latest
from hukou.tasks import case_lapse_overdue_task, import_jobs_sweep_task


@pytest.mark.django_db
def test_it_records_a_run_with_its_counts():
    @scheduled_run("demo.sweep", count="due")
    def sweep():
        return 7

    assert sweep() == 7

    run = ScheduledRun.objects.get()
    assert (run.task, run.counts, run.error) == ("demo.sweep", {"due": 7}, "")
    assert run.finished_at >= run.started_at and run.succeeded


@pytest.mark.django_db
def test_it_records_the_error_and_still_raises():
    @scheduled_run("demo.broken")
    def broken():
        raise ConnectionError("receiver refused")

    with pytest.raises(ConnectionError):
        broken()

    run = ScheduledRun.objects.get()
    assert "receiver refused" in run.error and run.finished_at is not None and not run.succeeded


@pytest.mark.django_db
def test_the_periodic_tasks_of_the_registry_leave_a_trace():
    case_lapse_overdue_task()
    import_jobs_sweep_task()

    runs = {run.task: run.counts for run in scheduled_runs_latest()}
    assert runs == {"hukou.case_lapse_overdue": {"lapsed": 0}, "hukou.import_jobs_sweep": {"jobs_run": 0}}


@pytest.mark.django_db
def test_latest_gives_one_row_per_task(django_assert_num_queries):
    from django.utils import timezone

    now = timezone.now()
    for minutes in (1, 2, 3):
        ScheduledRun.objects.create(task="a", started_at=now - dt.timedelta(minutes=minutes))
    newest_b = ScheduledRun.objects.create(task="b", started_at=now)

    with django_assert_num_queries(1):
        latest = scheduled_runs_latest()

    assert [run.task for run in latest] == ["a", "b"] and latest[1] == newest_b


def test_the_admin_lists_runs_read_only(client, sysadmin):
    from django.urls import reverse
    from django.utils import timezone

    run = ScheduledRun.objects.create(task="schoolsync.sweep", started_at=timezone.now(), counts={"due": 4})
    client.force_login(sysadmin)

    listed = client.get(reverse("admin:common_scheduledrun_changelist"))
    deleted = client.post(reverse("admin:common_scheduledrun_delete", args=[run.pk]), {"post": "yes"})

    assert listed.status_code == 200 and "schoolsync.sweep" in listed.content.decode()
    assert deleted.status_code == 403 and ScheduledRun.objects.filter(pk=run.pk).exists()
