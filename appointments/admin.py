"""Schedules as data (rules, windows, the no-show policy) and the system's own rows, read-only.

Saving or deleting a schedule rule or a window regenerates the station's slots for the booking
horizon after commit: bookings that no longer fit are flagged, never dropped, and their
applicants told. The ticket admin's call actions go through ``ticket_call``/``ticket_recall``
like every other path, so the display hears them.

Station-scoped: a station admin (``Role.STATION_ADMIN`` with ``is_staff``) sees and edits only
their own station's rows (``StationScopedAdmin``: queryset, per-object view/change/delete, and
foreign-key and many-to-many choices limited to the station). System admins see every station.
"""

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
from common.roles import Role
from hukou.models import Station
from hukou.visibility import can_see_station


def is_station_admin(user) -> bool:
    return bool(
        user.is_active
        and user.is_staff
        and not user.is_superuser
        and user.role == Role.STATION_ADMIN
        and user.station_id
    )


class StationScopedAdmin(admin.ModelAdmin):
    """A station's own rows only, for a station admin; Django's model permissions for others.

    ``station_id_of(obj)`` names the row's station; ``station_admin_may_edit`` says whether a
    station admin may add, change and delete (False: look only, e.g. bookings and tickets,
    which change through services). Every non-superuser's queryset is ``visible_to(user)``, so
    a change page by id of another station's row is "not found"."""

    station_admin_may_edit = False

    def station_id_of(self, obj) -> int | None:
        return obj.station_id

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def _own(self, request, obj) -> bool:
        return obj is None or can_see_station(request.user, self.station_id_of(obj))

    def has_module_permission(self, request) -> bool:
        return is_station_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if is_station_admin(request.user):
            return self._own(request, obj)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        if is_station_admin(request.user):
            return self.station_admin_may_edit
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        if is_station_admin(request.user):
            return self.station_admin_may_edit and self._own(request, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if is_station_admin(request.user):
            return self.station_admin_may_edit and self._own(request, obj)
        return super().has_delete_permission(request, obj)

    def get_list_filter(self, request):
        # The station filter lists only stations with rows in the (scoped) queryset.
        return [
            ("station", admin.RelatedOnlyFieldListFilter) if name == "station" else name
            for name in super().get_list_filter(request)
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Station:
                kwargs["queryset"] = Station.objects.filter(pk=request.user.station_id)
            elif hasattr(db_field.related_model.objects, "visible_to"):
                kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser and hasattr(db_field.related_model.objects, "visible_to"):
            kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _regenerate(*station_ids: int | None) -> None:
    from appointments.tasks import slots_generate_station_task

    for station_id in {pk for pk in station_ids if pk}:
        transaction.on_commit(lambda pk=station_id: slots_generate_station_task.delay(pk))


class RegeneratesSlots(StationScopedAdmin):
    """Saving (after the many-to-many fields) or deleting regenerates the station's horizon;
    a row moved to another station regenerates both."""

    station_admin_may_edit = True

    def save_model(self, request, obj, form, change):
        if change and "station" in form.changed_data:
            _regenerate(form.initial.get("station"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _regenerate(form.instance.station_id)
        messages.info(request, _("Slots are regenerated; bookings that no longer fit are flagged for the station."))

    def delete_model(self, request, obj):
        station_id = obj.station_id
        super().delete_model(request, obj)
        _regenerate(station_id)

    def delete_queryset(self, request, queryset):
        station_ids = set(queryset.values_list("station_id", flat=True))
        super().delete_queryset(request, queryset)
        _regenerate(*station_ids)


@admin.register(Window)
class WindowAdmin(RegeneratesSlots, SimpleHistoryAdmin):
    list_display = ["station", "number", "name", "kind", "is_open"]
    list_filter = ["station", "kind", "is_open"]
    filter_horizontal = ["business_types"]


@admin.register(ScheduleRule)
class ScheduleRuleAdmin(RegeneratesSlots, SimpleHistoryAdmin):
    list_display = ["station", "name", "kind", "valid_from", "valid_until", "opens", "closes", "is_active"]
    list_filter = ["station", "kind", "is_active"]
    filter_horizontal = ["windows", "business_types"]


@admin.register(NoShowPolicy)
class NoShowPolicyAdmin(admin.ModelAdmin):
    list_display = ["station", "no_shows", "within_days", "suspend_days"]


@admin.register(Slot)
class SlotAdmin(StationScopedAdmin, ReadOnlyAdmin):
    list_display = ["station", "starts_at", "capacity", "booked", "is_active"]
    list_filter = ["station", "is_active"]
    date_hierarchy = "starts_at"


@admin.register(Booking)
class BookingAdmin(StationScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "code",
        "station",
        "business_type",
        "applicant_name",
        "status",
        "proxy_by",
        "flagged_at",
        "late_notice_at",
    ]
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
class TicketAdmin(StationScopedAdmin, ReadOnlyAdmin):
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
class FollowUpAdmin(StationScopedAdmin, ReadOnlyAdmin):
    list_display = ["station", "status", "due_on", "created_at", "answered_at"]
    list_filter = ["station", "status"]
