"""Citizen ID numbers (公民身份号码) issued by the registry itself, for newborns and corrections.

``IdNumberSequence`` is the counter of one administrative-division code and birth date, locked
while a number is taken (one row per code and date: births of other days never wait).
``IssuedIdNumber`` records every number ever issued, with a unique constraint, so a number is
never issued twice, even after its person is cancelled or the number is replaced by a correction.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdNumberSequence(models.Model):
    division_code = models.CharField(_("administrative division code"), max_length=6)
    birth_date = models.DateField(_("birth date"))
    # The last sequence code (顺序码) given out per sex: odd for men (1, 3, ... 999), even for
    # women (2, 4, ... 998).
    last_male = models.PositiveSmallIntegerField(_("last male sequence"), default=0)
    last_female = models.PositiveSmallIntegerField(_("last female sequence"), default=0)

    class Meta:
        verbose_name = _("ID number sequence")
        verbose_name_plural = _("ID number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["division_code", "birth_date"], name="hukou_idnumbersequence_unique_code_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division_code} {self.birth_date:%Y%m%d}"


class IssuedIdNumber(models.Model):
    number = models.CharField(_("resident ID number"), max_length=18)
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="issued_id_numbers", verbose_name=_("person")
    )
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("police station")
    )
    case = models.ForeignKey(
        "hukou.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # Set when a correction replaced the number; the row stays so the number is never reissued.
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    replaced_by = models.CharField(_("replaced by"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("issued ID number")
        verbose_name_plural = _("issued ID numbers")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["number"], name="hukou_issuedidnumber_unique_number")]

    def __str__(self) -> str:
        return self.number
