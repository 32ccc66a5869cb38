from django.contrib import admin

from common.models import CalendarOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the system only (logs, events, outboxes): operators look, never add, edit
    or delete. Subclasses may add actions such as a replay that go through a service."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
