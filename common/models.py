"""Shared-kernel models: only what several apps truly share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An admin's correction of the working-day calendar for one date.

    Wins over the chinese-calendar library: for a local holiday, a late-announced 调休, or a year
    the installed library does not know yet.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class ScheduledRun(models.Model):
    """One run of a periodic task (case lapse, sync sweep, import sweep, reconciliation): when it
    started and finished, what it counted, and the error if it failed. Written by
    ``common.scheduled.scheduled_run``; read in the Django admin and on the station overview."""

    task = models.CharField(_("task"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["task", "-started_at"], name="common_scheduledrun_task_idx")]

    def __str__(self) -> str:
        return f"{self.task} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error
