"""Users and their roles. A user belongs to at most one station or one school, by role."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.idnumber import ID_NUMBER_PATTERN, mask_id_number, normalize_id_number
from common.roles import STATION_ROLES, Role

_STATION_ROLE_VALUES = sorted(str(role) for role in STATION_ROLES)


class IdentityMethod(models.TextChoices):
    REGISTRY_MOBILE = "registry_mobile", _("Mobile number recorded in the registry")
    WINDOW_CHECK = "window_check", _("ID card checked at the window")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARENT)
    station = models.ForeignKey(
        "hukou.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("police station"),
    )
    school = models.ForeignKey(
        "schoolsync.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("school"),
    )
    mobile = models.CharField(_("mobile number"), max_length=11, unique=True, null=True, blank=True)
    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    # Parents bind their real identity; they then act for their children in the registry.
    # The ID number is a claim until proven: it binds (and unlocks family data) only once
    # ``identity_verified_at`` is set, by the registry's record of this mobile number or by a
    # clerk's check of the ID card at the window (see accounts.services.identity).
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True)
    mobile_verified_at = models.DateTimeField(_("mobile number verified at"), null=True, blank=True)
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    identity_method = models.CharField(
        _("identity verified by"), max_length=16, choices=IdentityMethod.choices, blank=True
    )
    identity_checked_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ID card checked by"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=_STATION_ROLE_VALUES) & Q(station__isnull=False))
                | (~Q(role__in=_STATION_ROLE_VALUES) & Q(station__isnull=True)),
                name="accounts_user_station_iff_station_role",
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.SCHOOL_STAFF) & Q(school__isnull=False))
                | (~Q(role=Role.SCHOOL_STAFF) & Q(school__isnull=True)),
                name="accounts_user_school_iff_school_staff",
            ),
            # Several accounts may *claim* a number (an impostor's claim must not lock the real
            # parent out); only one may hold it verified.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(id_number__isnull=False, identity_verified_at__isnull=False),
                name="accounts_user_unique_verified_id_number",
            ),
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(id_number__regex=ID_NUMBER_PATTERN),
                name="accounts_user_id_number_format",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    def save(self, *args, **kwargs):
        # The canonical form only, so the unique constraint sees full-width digits as digits.
        if self.id_number is not None:
            self.id_number = normalize_id_number(self.id_number) or None
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class OneTimeCode(models.Model):
    """A code sent by text message. Only its keyed hash is stored; it expires, allows a few
    attempts, and is used once (accounts.services.otp)."""

    mobile = models.CharField(_("mobile number"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=16)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{mask_mobile(self.mobile)} {self.purpose}"


class IdentityClaim(models.Model):
    """A second account claiming an ID number that another account already holds verified. The
    station where that person is registered decides; nothing is taken silently."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        GRANTED = "granted", _("Granted: the binding moved to the claimant")
        REFUSED = "refused", _("Refused: the existing binding stays")

    claimant = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="identity_claims", verbose_name=_("claimant")
    )
    holder = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("current holder")
    )
    id_number = models.CharField(_("resident ID number"), max_length=18)
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="identity_claims", verbose_name=_("police station")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("identity claim")
        verbose_name_plural = _("identity claims")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claimant"], condition=Q(status="open"), name="accounts_identityclaim_one_open_per_claimant"
            ),
        ]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)} ({self.get_status_display()})"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_mobile(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else "***"
