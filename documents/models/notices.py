"""The one-time notice (一次性告知单), later requests it did not name, and reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class NoticeQuerySet(StationScopedQuerySet):
    station_path = "application__station"


class Notice(models.Model):
    """One version of the notice; every version is kept, the latest is the one in force."""

    application = models.ForeignKey("documents.Application", on_delete=models.PROTECT, related_name="notices")
    version = models.PositiveSmallIntegerField()
    # [{"code", "name", "is_core", "status", "why", "how"}] as the applicant read them.
    items = models.JSONField(default=list)
    deadline = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)
    contact = models.JSONField(default=dict)  # the station's contact card (警民联系卡)
    pdf_name = models.CharField(max_length=255, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="documents_notice_version_once")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version}"

    @property
    def item_codes(self) -> set[str]:
        return {entry["code"] for entry in self.items}


class NoticeOverrideQuerySet(StationScopedQuerySet):
    station_path = "application__station"


class NoticeOverride(models.Model):
    """A clerk asked for an item the notice did not name: allowed only with a reason, recorded,
    and counted for the station admin."""

    application = models.ForeignKey("documents.Application", on_delete=models.PROTECT, related_name="overrides")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="overrides")
    item = models.ForeignKey("documents.ChecklistItem", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    objects = NoticeOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("request beyond the notice")
        verbose_name_plural = _("requests beyond the notice")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="documents_noticeoverride_reason")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.item_id}"


class Reminder(models.Model):
    """A supplement reminder sent once per application and day-before-deadline kind."""

    application = models.ForeignKey("documents.Application", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=24)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="documents_reminder_once")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.kind}"
