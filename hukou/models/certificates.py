"""Certificates (户籍证明, 入学户籍证明, 常住人口登记卡) and their issuance log.

A certificate is a row before it is a PDF: the PDF is rendered from ``snapshot`` (what was true
when it was issued), so reprints and the public verification page show the issued data, not
today's registry.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hukou.models.cases import BusinessType
from hukou.visibility import StationScopedQuerySet


def new_verification_token() -> str:
    # 32 random bytes: unguessable, so the public page cannot be enumerated.
    return secrets.token_urlsafe(32)


class CertificateQuerySet(StationScopedQuerySet):
    station_path = "station"


class Certificate(models.Model):
    Kind = BusinessType.Certificate

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded by a reissue")
        REVOKED = "revoked", _("Revoked")

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BusinessType.Certificate.choices)
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "hukou.Household", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("household")
    )
    case = models.ForeignKey(
        "hukou.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("case"),
    )
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("police station")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # The local issue date as a column, so "one per person, kind and day" can be a constraint.
    issued_on = models.DateField(_("issued on"))
    token = models.CharField(
        _("verification code"), max_length=64, unique=True, default=new_verification_token, editable=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    reissue_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reissues", verbose_name=_("reissue of")
    )
    reissue_reason = models.CharField(_("reissue reason"), max_length=200, blank=True)
    revoked_reason = models.CharField(_("revocation reason"), max_length=200, blank=True)
    snapshot = models.JSONField(_("printed data"), default=dict)
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Backstops against double issue; the service locks first, these catch any path that did not.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="valid", case__isnull=False),
                name="hukou_certificate_one_valid_per_case",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "issued_on"],
                condition=Q(status="valid", case__isnull=True),
                name="hukou_certificate_one_valid_per_person_day",
            ),
            models.CheckConstraint(
                condition=Q(reissue_of__isnull=True) | ~Q(reissue_reason=""),
                name="hukou_certificate_reissue_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class CertificateSerial(models.Model):
    """The last serial number used per station and year; locked while a number is taken."""

    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("police station")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "year"], name="hukou_certificateserial_unique")]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.year}: {self.last_number}"


class CertificatePrint(models.Model):
    """Issuance log (发放登记): who printed, who collected, whether their ID was checked, fee.

    Append-only. The collector's ID number is stored masked: the log proves which document was
    checked without becoming another copy of the registry.
    """

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="prints", verbose_name=_("certificate")
    )
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("printed by")
    )
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)
    collected_by_name = models.CharField(_("collected by"), max_length=64)
    collected_by_id_number = models.CharField(_("collector's ID number (masked)"), max_length=18, blank=True)
    id_checked = models.BooleanField(_("ID checked"), default=False)
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=0)
    # One form submission, one row: a double-clicked submit carries the same key.
    request_key = models.CharField(_("request key"), max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("certificate issuance")
        verbose_name_plural = _("certificate issuance log")
        ordering = ["printed_at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.printed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The issuance log is append-only.")
        super().save(*args, **kwargs)
