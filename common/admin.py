from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.http import client_address
from common.models import CalendarOverride, ScheduledRun

# Django's own Chinese for a list filter's title reads "以 派出所"; our catalogue (which comes
# first) says "按派出所". Marked here so makemessages keeps the entry.
ADMIN_FILTER_TITLE = gettext_noop(" By %(filter_title)s ")


class AccessLoggedAdmin:
    """Mixin for admin screens that show personal data (persons, households, users,
    certificates, events): every list and every opened row is written to the access log, like
    the same data seen anywhere else. Put it before the ModelAdmin class in the bases.

    Subclasses say whom a row concerns (``access_log_persons``: the persons shown, one log row
    each, under each person's own station) or, for rows without persons, which station owns it
    (``access_log_station``). The writer is named by dotted path so the shared kernel imports
    no app: hukou's ``access_log_record``."""

    access_log_recorder = "hukou.services.access.access_log_record"
    access_log_purpose = "系统管理后台"

    def access_log_persons(self, obj) -> list:
        return []

    def access_log_station(self, obj) -> int | None:
        return None

    def _access_log(self, request, *, action: str, target: str, objects: list) -> None:
        persons = [person for obj in objects for person in self.access_log_persons(obj) if person is not None]
        stations = {self.access_log_station(obj) for obj in objects} - {None}
        import_string(self.access_log_recorder)(
            actor=request.user,
            client_address=client_address(request),
            action=action,
            target=target,
            purpose=self.access_log_purpose,
            persons=persons,
            station_id=stations.pop() if len(stations) == 1 else None,
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            query = request.GET.get("q", "")
            target = f"admin:{self.opts.label_lower}:list" + (f" q={query}" if query else "")
            self._access_log(request, action="search", target=target, objects=list(changelist.result_list))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and response.status_code == 200:
            target = f"admin:{self.opts.label_lower}:{obj.pk}"
            self._access_log(request, action="view", target=target, objects=[obj])
        return response


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
