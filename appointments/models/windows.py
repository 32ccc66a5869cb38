"""Service windows (窗口) of a station and the business types each serves."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hukou.visibility import StationScopedQuerySet


class WindowQuerySet(StationScopedQuerySet):
    station_path = "station"


class Window(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General hukou business")
        SCHOOL = "school", _("Primary-school business")
        ID_CARD = "id_card", _("Resident ID cards")

    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, related_name="windows")
    number = models.PositiveSmallIntegerField(_("window number"))
    name = models.CharField(_("name"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    is_open = models.BooleanField(_("open"), default=True)
    # Empty: the window serves every business type.
    business_types = models.ManyToManyField(
        "hukou.BusinessType", blank=True, related_name="windows", verbose_name=_("business types served")
    )
    history = HistoricalRecords()

    objects = WindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["station", "number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="appointments_window_unique_number")]

    def __str__(self) -> str:
        return f"{self.station} {self.number}号窗口"
