"""Bookings (预约), the no-show policy as data, suspensions and sent reminders."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class BookingQuerySet(StationScopedQuerySet):
    station_path = "station"

    def active(self):
        return self.filter(status__in=Booking.ACTIVE)


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")
        DONE = "done", _("Served")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    code = models.CharField(_("booking code"), max_length=12, unique=True)
    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey("appointments.Slot", on_delete=models.PROTECT, related_name="bookings")
    business_type = models.ForeignKey("hukou.BusinessType", on_delete=models.PROTECT, related_name="bookings")
    # The account that holds the booking (the parent); for a proxy booking, the clerk's account
    # is in ``proxy_by`` and ``account`` is empty when the applicant has none.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    proxy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_bookings",
        verbose_name=_("booked on behalf by (帮办代办)"),
    )
    person = models.ForeignKey("hukou.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applicant_name = models.CharField(_("applicant name"), max_length=64)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=18)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Set when a rule change means the slot no longer fits (see services.schedule).
    flagged_reason = models.CharField(_("needs attention because"), max_length=200, blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    # The parent said "I'm running late" (within the check-in window); the desk sees it and the
    # hourly no-show sweep waits until the end of the day (services.lateness).
    late_notice_at = models.DateTimeField(_("said running late at"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One active booking per ID number per business type: the scalper's backstop.
            models.UniqueConstraint(
                fields=["applicant_id_number", "business_type"],
                condition=Q(status__in=["booked", "checked_in"]),
                name="appointments_booking_one_active_per_id",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"], name="appointments_booking_acct_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class NoShowPolicy(models.Model):
    """E.g. three no-shows within 90 days suspend online booking for 30 days. The row with no
    station is the default; a station's own row wins."""

    station = models.OneToOneField(
        "hukou.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="no_show_policy"
    )
    no_shows = models.PositiveSmallIntegerField(_("no-shows"), default=3)
    within_days = models.PositiveSmallIntegerField(_("within (days)"), default=90)
    suspend_days = models.PositiveSmallIntegerField(_("suspension (days)"), default=30)

    class Meta:
        verbose_name = _("no-show policy")
        verbose_name_plural = _("no-show policies")
        constraints = [
            models.UniqueConstraint(
                fields=["no_shows"], condition=Q(station__isnull=True), name="appointments_noshowpolicy_one_default"
            ),
            models.CheckConstraint(condition=Q(no_shows__gte=1), name="appointments_noshowpolicy_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.no_shows}/{self.within_days}d → {self.suspend_days}d"


class BookingSuspension(models.Model):
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("booking suspension")
        verbose_name_plural = _("booking suspensions")
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="appointments_suspension_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.starts_on}–{self.ends_on}"


class Reminder(models.Model):
    """One row per (booking, kind), claimed before sending: no reminder goes out twice."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("The day before")
        HOUR_BEFORE = "hour_before", _("An hour before")
        RESCHEDULE = "reschedule", _("Slot no longer fits")
        RUNNING_LATE = "running_late", _("The station is running late")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "kind"], name="appointments_reminder_once")]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"
