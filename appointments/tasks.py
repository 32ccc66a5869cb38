"""Background work of booking and the queue (Celery beat). Tasks take ids and call services."""

from celery import shared_task

from appointments.services.reminders import reminders_send_due, running_late_notify
from appointments.services.sanctions import bookings_mark_no_show
from appointments.services.schedule import slots_generate_horizon
from common.scheduled import scheduled_run
from hukou.models import Station


@shared_task(name="appointments.slots_generate_all", ignore_result=True)
@scheduled_run("appointments.slots_generate_all", count="flagged")
def slots_generate_all_task() -> int:
    """Keeps every station's slots generated for the booking horizon (hourly; idempotent), so
    the next release is ready before its hour. Returns the number of newly flagged bookings."""
    flagged = 0
    for station_id in Station.objects.values_list("pk", flat=True):
        flagged += len(slots_generate_horizon(station_id=station_id))
    if flagged:
        reminders_send_due()
    return flagged


@shared_task(name="appointments.slots_generate_station", ignore_result=True)
def slots_generate_station_task(station_id: int) -> int:
    """After a schedule rule changed in the admin: regenerate the station's horizon, flag what
    no longer fits and tell those applicants. Idempotent."""
    flagged = slots_generate_horizon(station_id=station_id)
    if flagged:
        reminders_send_due()
    return len(flagged)


@shared_task(name="appointments.reminders_send_due", ignore_result=True)
@scheduled_run("appointments.reminders_send_due", count="sent")
def reminders_send_due_task() -> int:
    """Day-before and hour-before reminders; never twice (unique row per booking and kind)."""
    return reminders_send_due()


@shared_task(name="appointments.bookings_mark_no_show", ignore_result=True)
@scheduled_run("appointments.bookings_mark_no_show", count="marked")
def bookings_mark_no_show_task() -> int:
    """Marks bookings nobody checked in for as no-shows and applies the policy. Idempotent."""
    return bookings_mark_no_show()


@shared_task(name="appointments.running_late_notify", ignore_result=True)
@scheduled_run("appointments.running_late_notify", count="sent")
def running_late_notify_task() -> int:
    """Stations running behind: tell the applicants booked later today, once each."""
    return running_late_notify()
