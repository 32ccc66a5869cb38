"""Suspected duplicate registrations (错重假), flagged by the registry and decided by an approver."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class DuplicateSuspectQuerySet(StationScopedQuerySet):
    station_path = "person__household__station"


class DuplicateSuspect(models.Model):
    class Reason(models.TextChoices):
        SAME_NAME_SEX_BIRTH = "same_name_sex_birth", _("Same name, sex and birth date")
        SAME_PARENTS = "same_parents", _("Same parents and birth date")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting decision")
        CONFIRMED = "confirmed", _("Confirmed duplicate")
        DISMISSED = "dismissed", _("Not a duplicate")

    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="duplicate_suspicions", verbose_name=_("person")
    )
    suspected_of = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("suspected duplicate of")
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    case = models.ForeignKey(
        "hukou.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DuplicateSuspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspected duplicate")
        verbose_name_plural = _("suspected duplicates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "suspected_of"], name="hukou_duplicatesuspect_unique_pair"),
            models.CheckConstraint(condition=~Q(person=F("suspected_of")), name="hukou_duplicatesuspect_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.suspected_of_id}"
