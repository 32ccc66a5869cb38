"""Eligibility rules (as data, versioned by effective date), enrolments and read marks of notices."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EligibilityRuleQuerySet(models.QuerySet):
    def in_force(self, *, school, year: int, on: dt.date):
        """The rule versions of ``school`` for ``year`` in force on ``on``, newest first."""
        return self.filter(school=school, year=year, effective_from__lte=on).order_by("-effective_from", "-id")


class EligibilityRule(models.Model):
    """One version of a school's enrolment rules for one enrolment year.

    A new version is a new row with a later ``effective_from``; old versions stay, so every answer
    can name the version it used and be explained later.
    """

    school = models.ForeignKey(
        "schoolsync.School", on_delete=models.PROTECT, related_name="eligibility_rules", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(_("enrolment year"))
    effective_from = models.DateField(_("effective from"))
    min_age_years = models.PositiveSmallIntegerField(_("minimum age in years"), default=6)
    # Older than this on the cut-off day: not refused, but the liaison reviews it (delayed
    # enrolment, a child returning from abroad); an 11-year-old is not simply "eligible".
    max_age_years = models.PositiveSmallIntegerField(_("maximum age in years"), default=7)
    # The child must have reached the minimum age on this day of the enrolment year (default 31 August).
    age_cutoff_month = models.PositiveSmallIntegerField(_("age cut-off month"), default=8)
    age_cutoff_day = models.PositiveSmallIntegerField(_("age cut-off day"), default=31)
    min_registration_months = models.PositiveSmallIntegerField(
        _("minimum months registered at the address"), default=12
    )
    require_guardian = models.BooleanField(_("guardian must live in the household"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = EligibilityRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["school", "-year", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "effective_from"], name="schoolsync_eligibilityrule_one_per_date"
            ),
            models.CheckConstraint(
                condition=Q(max_age_years__gte=models.F("min_age_years")),
                name="schoolsync_eligibilityrule_age_range",
            ),
            models.CheckConstraint(
                condition=Q(age_cutoff_month__gte=1, age_cutoff_month__lte=12, age_cutoff_day__gte=1)
                & Q(age_cutoff_day__lte=31),
                name="schoolsync_eligibilityrule_cutoff_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.version}"

    @property
    def version(self) -> str:
        """Stable name of this rule version, e.g. ``360102001/2027/2026-09-01``."""
        return f"{self.school.code}/{self.year}/{self.effective_from.isoformat()}"

    def clean(self):
        try:
            self.cutoff_date  # noqa: B018 - raises for 30 February and the like
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                {"age_cutoff_day": _("This day does not exist in that month.")}, code="cutoff_invalid"
            ) from exc

    @property
    def cutoff_date(self) -> dt.date:
        return dt.date(self.year, self.age_cutoff_month, self.age_cutoff_day)


class Enrolment(models.Model):
    """A child enrolled (or admitted) at a school for an enrolment year."""

    school = models.ForeignKey(
        "schoolsync.School", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("school")
    )
    person = models.ForeignKey("hukou.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    year = models.PositiveSmallIntegerField(_("enrolment year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="schoolsync_enrolment_one_school_per_year")
        ]
        indexes = [models.Index(fields=["school", "person"], name="schoolsync_enrolment_school")]

    def __str__(self) -> str:
        return f"{self.school} {self.year} {self.person_id}"


class SchoolNoticeRead(models.Model):
    """A school has read the notice of one registry change (the change itself is hukou.ChangeEvent)."""

    school = models.ForeignKey(
        "schoolsync.School", on_delete=models.PROTECT, related_name="notice_reads", verbose_name=_("school")
    )
    change_event = models.ForeignKey(
        "hukou.ChangeEvent", on_delete=models.PROTECT, related_name="+", verbose_name=_("change event")
    )
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("read by")
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("school notice read")
        verbose_name_plural = _("school notices read")
        constraints = [
            models.UniqueConstraint(fields=["school", "change_event"], name="schoolsync_schoolnoticeread_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} read #{self.change_event_id}"
