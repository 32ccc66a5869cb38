"""After service: ratings (评价) and 办不成事 reports that must each get an answer (件件有回音)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class Rating(models.Model):
    ticket = models.OneToOneField("appointments.Ticket", on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="appointments_rating_score_range")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"


class FollowUpQuerySet(StationScopedQuerySet):
    station_path = "station"


class FollowUp(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, related_name="follow_ups")
    ticket = models.ForeignKey(
        "appointments.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_phone = models.CharField(_("phone"), max_length=20, blank=True)
    text = models.TextField(_("what could not be done"), max_length=2000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("办不成事 report")
        verbose_name_plural = _("办不成事 reports")
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""), name="appointments_followup_answered_has_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}: {self.text[:20]}"
