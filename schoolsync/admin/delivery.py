"""Admin of the school sync delivery: outbound events with every attempt and decision inline,
the replay / skip / rebuild decisions (audited), and reconciliation reports.

Kept out of ``schoolsync/admin.py`` (which imports it) so the delivery and eligibility admins
merge without touching each other.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import AccessLoggedAdmin, ReadOnlyAdmin
from common.idnumber import mask_id_number
from common.roles import Role, has_role
from schoolsync.models import DeliveryAttempt, OutboundDecision, OutboundEvent, SyncReport
from schoolsync.services.decisions import DecisionRefused, outbound_rebuild, outbound_skip
from schoolsync.services.delivery import outbound_replay


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryAttemptInline(_ReadOnlyInline):
    model = DeliveryAttempt
    fields = readonly_fields = ["started_at", "duration_ms", "status_code", "outcome", "error"]
    verbose_name_plural = _("every delivery attempt")


class OutboundDecisionInline(_ReadOnlyInline):
    model = OutboundDecision
    fields = readonly_fields = ["decided_at", "kind", "actor", "reason", "previous_status"]
    verbose_name_plural = _("operator decisions")


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept with the decision)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason: it is kept with the decision.")},
    )


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
    actions = ["replay", "skip", "rebuild"]
    inlines = [DeliveryAttemptInline, OutboundDecisionInline]
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
        count = outbound_replay(ids=list(queryset.values_list("pk", flat=True)), actor=request.user)
        message = gettext("Events put back in the queue: %(count)d (delivered ones are never resent).")
        self.message_user(request, message % {"count": count}, messages.SUCCESS if count else messages.WARNING)

    @admin.action(description=_("Skip the selected parked or exhausted events (with a reason)"), permissions=["replay"])
    def skip(self, request, queryset):
        return self._decide(request, queryset, "skip", outbound_skip, gettext("Skip events"))

    @admin.action(
        description=_("Rebuild the selected parked or exhausted events from current registry data (with a reason)"),
        permissions=["replay"],
    )
    def rebuild(self, request, queryset):
        return self._decide(request, queryset, "rebuild", outbound_rebuild, gettext("Rebuild events"))

    def _decide(self, request, queryset, action: str, service, title: str):
        """First call: a page asking for the reason. Second call (with ``apply``): the service."""
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                ids = list(queryset.values_list("pk", flat=True))
                count = service(ids=ids, actor=request.user, reason=form.cleaned_data["reason"])
            except DecisionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            message = gettext("Decision recorded and events put back in the queue: %(count)d.")
            self.message_user(request, message % {"count": count}, messages.SUCCESS if count else messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "action": action,
            "form": form,
            "events": queryset.select_related("person"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/schoolsync/outboundevent/decide.html", context)


@admin.register(SyncReport)
class SyncReportAdmin(ReadOnlyAdmin):
    list_display = ["day", "created", "delivered", "pending", "parked", "exhausted", "attempts", "missing"]
    date_hierarchy = "day"
