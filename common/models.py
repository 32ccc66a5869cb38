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
