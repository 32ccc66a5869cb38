"""Admin of the school sync delivery: outbound events (with replay) and reconciliation reports.

Kept out of ``schoolsync/admin.py`` (which imports it) so the delivery and eligibility admins
merge without touching each other.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import AccessLoggedAdmin, ReadOnlyAdmin
from common.idnumber import mask_id_number
from common.roles import Role, has_role
from schoolsync.models import OutboundEvent, SyncReport
from schoolsync.services.delivery import outbound_replay


@admin.register(OutboundEvent)
class OutboundEventAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    def access_log_persons(self, obj):
        return [obj.person]

    list_display = [
        "event_id",
        "event_type",
        "child",
        "sequence",
        "status",
        "attempts",
        "last_status_code",
        "error",
        "occurred_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["person"]
    search_fields = ["=event_id", "person__name"]
    date_hierarchy = "occurred_at"
    actions = ["replay"]
    fields = [
        "event_id",
        "event_type",
        "child",
        "sequence",
        "feed_version",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "occurred_at",
        "created_at",
        "retry_since",
        "next_attempt_at",
        "claimed_until",
        "delivered_at",
        "masked_payload",
    ]
    readonly_fields = fields

    @admin.display(description=_("child"), ordering="person__name")
    def child(self, obj):
        return obj.person.name

    @admin.display(description=_("last error"))
    def error(self, obj):
        return obj.last_error[:80]

    @admin.display(description=_("payload"))
    def masked_payload(self, obj):
        # The admin is no registry page: it never shows a full ID number.
        child = {**obj.payload.get("child", {})}
        child["id_number"] = mask_id_number(child.get("id_number"))
        return {**obj.payload, "child": child}

    def has_replay_permission(self, request) -> bool:
        return request.user.is_superuser or has_role(request.user, Role.SYSTEM_ADMIN)

    @admin.action(description=_("Replay the selected parked or exhausted events"), permissions=["replay"])
    def replay(self, request, queryset):
        count = outbound_replay(ids=list(queryset.values_list("pk", flat=True)))
        message = gettext("Events put back in the queue: %(count)d (delivered ones are never resent).")
        self.message_user(request, message % {"count": count}, messages.SUCCESS if count else messages.WARNING)


@admin.register(SyncReport)
class SyncReportAdmin(ReadOnlyAdmin):
    list_display = ["day", "created", "delivered", "pending", "parked", "exhausted", "attempts", "missing"]
    date_hierarchy = "day"
