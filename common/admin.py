from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.models import CalendarOverride, ScheduledRun

# Django's own Chinese for a list filter's title reads "以 派出所"; our catalogue (which comes
# first) says "按派出所". Marked here so makemessages keeps the entry.
ADMIN_FILTER_TITLE = gettext_noop(" By %(filter_title)s ")


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


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["task", "started_at", "finished_at", "counts", "succeeded"]
    list_filter = ["task"]
    date_hierarchy = "started_at"
    search_fields = ["task", "error"]

    @admin.display(boolean=True, description=_("succeeded"))
    def succeeded(self, obj) -> bool:
        return obj.succeeded
