"""Schedules as data (rules, windows, the no-show policy) and the system's own rows, read-only.

Saving or deleting a schedule rule regenerates the station's slots for the booking horizon
after commit: bookings that no longer fit are flagged, never dropped, and their applicants told.
The ticket admin's call actions go through ``ticket_call``/``ticket_recall`` like every other
path, so the display hears them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from appointments.models import (
    Booking,
    BookingSuspension,
    FollowUp,
    NoShowPolicy,
    Reminder,
    ScheduleRule,
    Slot,
    Ticket,
    TicketCall,
    Window,
)
from appointments.services.queue import ticket_call, ticket_recall
from common.admin import ReadOnlyAdmin


@admin.register(Window)
class WindowAdmin(SimpleHistoryAdmin):
    list_display = ["station", "number", "name", "kind", "is_open"]
    list_filter = ["station", "kind", "is_open"]
    filter_horizontal = ["business_types"]


def _regenerate(station_id: int) -> None:
    from appointments.tasks import slots_generate_station_task

    transaction.on_commit(lambda: slots_generate_station_task.delay(station_id))


@admin.register(ScheduleRule)
class ScheduleRuleAdmin(SimpleHistoryAdmin):
    list_display = ["station", "name", "kind", "valid_from", "valid_until", "opens", "closes", "is_active"]
    list_filter = ["station", "kind", "is_active"]
    filter_horizontal = ["windows", "business_types"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _regenerate(form.instance.station_id)
        messages.info(request, _("Slots are regenerated; bookings that no longer fit are flagged for the station."))

    def delete_model(self, request, obj):
        station_id = obj.station_id
        super().delete_model(request, obj)
        _regenerate(station_id)


@admin.register(NoShowPolicy)
class NoShowPolicyAdmin(admin.ModelAdmin):
    list_display = ["station", "no_shows", "within_days", "suspend_days"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["station", "starts_at", "capacity", "booked", "is_active"]
    list_filter = ["station", "is_active"]
    date_hierarchy = "starts_at"


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["code", "station", "business_type", "applicant_name", "status", "proxy_by", "flagged_at"]
    list_filter = ["station", "status", "business_type"]
    search_fields = ["code"]


@admin.action(description=_("Call to its window again (recall)"))
def recall_tickets(modeladmin, request, queryset):
    for ticket in queryset:
        try:
            ticket_recall(actor=request.user, ticket_id=ticket.pk)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{ticket.number}: {exc.messages[0]}", messages.ERROR)


@admin.action(description=_("Call to window 1"))
def call_to_first_window(modeladmin, request, queryset):
    for ticket in queryset:
        window = Window.objects.filter(station_id=ticket.station_id, is_open=True).order_by("number").first()
        try:
            ticket_call(actor=request.user, ticket_id=ticket.pk, window_id=window.pk)
        except (ValidationError, AttributeError) as exc:
            modeladmin.message_user(request, f"{ticket.number}: {exc}", messages.ERROR)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "station", "day", "status", "window", "business_type", "call_count"]
    list_filter = ["station", "status", "day"]
    actions = [call_to_first_window, recall_tickets]


@admin.register(TicketCall)
class TicketCallAdmin(ReadOnlyAdmin):
    list_display = ["id", "station", "ticket", "window", "is_recall", "at", "by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["booking", "kind", "created_at", "sent_at", "error"]
    list_filter = ["kind"]


@admin.register(BookingSuspension)
class BookingSuspensionAdmin(admin.ModelAdmin):
    list_display = ["account", "starts_on", "ends_on", "reason"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["station", "status", "due_on", "created_at", "answered_at"]
    list_filter = ["station", "status"]
