"""Opening hours as data (editable in the admin) and the slots generated from them.

A ``ScheduleRule`` says when a station's windows take bookings. For one day:

- ``regular`` rules apply on the station's working days (Chinese statutory holidays closed,
  make-up days 调休 open: ``common.workdays``, with the same admin overrides as the registry);
- a ``seasonal`` rule whose date range covers the day replaces the regular rules that day
  (the August peak 8:00–20:00 with extra windows);
- an ``extra`` rule adds hours on the weekdays it names, working day or not (a Saturday-morning
  window for school business only);
- a ``closure`` removes every slot overlapping its hours (the station is closed one afternoon).

Slots carry a counted ``booked`` column that is only changed under the slot's row lock, and a
check constraint makes overbooking impossible even for code that forgets the lock.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hukou.visibility import StationScopedQuerySet


class ScheduleRuleQuerySet(StationScopedQuerySet):
    station_path = "station"


class ScheduleRule(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular opening hours (working days)")
        SEASONAL = "seasonal", _("Seasonal hours (replace the regular ones in the date range)")
        EXTRA = "extra", _("Extra opening (on the named weekdays, even if not a working day)")
        CLOSURE = "closure", _("Closure")

    station = models.ForeignKey("hukou.Station", on_delete=models.CASCADE, related_name="schedule_rules")
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    # 0 = Monday … 6 = Sunday; empty = every day the kind allows.
    weekdays = models.JSONField(_("weekdays (0 = Monday)"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    lunch_start = models.TimeField(_("lunch break from"), null=True, blank=True)
    lunch_end = models.TimeField(_("lunch break until"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=15)
    places_per_window = models.PositiveSmallIntegerField(_("places per window per slot"), default=2)
    walk_in_percent = models.PositiveSmallIntegerField(_("share kept for walk-ins (%)"), default=25)
    windows = models.ManyToManyField("appointments.Window", blank=True, related_name="rules", verbose_name=_("windows"))
    # Empty: whatever the rule's windows serve.
    business_types = models.ManyToManyField(
        "hukou.BusinessType", blank=True, related_name="+", verbose_name=_("only these business types")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = ScheduleRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("schedule rule")
        verbose_name_plural = _("schedule rules")
        ordering = ["station", "kind", "valid_from", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="appointments_schedulerule_closes_after"),
            models.CheckConstraint(
                condition=Q(walk_in_percent__lte=100), name="appointments_schedulerule_walk_in_percent"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="appointments_schedulerule_range_ordered",
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="appointments_schedulerule_slot_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.name}"

    def covers(self, day) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        return not self.weekdays or day.weekday() in self.weekdays


class SlotQuerySet(StationScopedQuerySet):
    station_path = "station"

    def bookable(self):
        return self.filter(is_active=True, booked__lt=F("capacity"))


class Slot(models.Model):
    """A bookable period at a station. ``booked`` is the counted row: it changes only under
    ``select_for_update`` (``appointments.services.booking``) and can never pass ``capacity``."""

    station = models.ForeignKey("hukou.Station", on_delete=models.CASCADE, related_name="slots")
    rule = models.ForeignKey(ScheduleRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    booked = models.PositiveIntegerField(_("booked"), default=0)
    # False once the rules no longer produce this slot; its bookings are flagged, never dropped.
    is_active = models.BooleanField(_("offered"), default=True)
    business_types = models.ManyToManyField("hukou.BusinessType", related_name="+", verbose_name=_("business types"))

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appointments_slot_not_oversold"),
            models.UniqueConstraint(fields=["station", "rule", "starts_at"], name="appointments_slot_unique_start"),
        ]
        indexes = [models.Index(fields=["station", "starts_at"], name="appointments_slot_day_idx")]

    def __str__(self) -> str:
        return f"{self.station} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)
