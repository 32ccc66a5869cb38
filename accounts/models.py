"""Users and their roles. A user belongs to at most one station or one school, by role."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.idnumber import ID_NUMBER_PATTERN, mask_id_number, normalize_id_number
from common.roles import STATION_ROLES, Role

_STATION_ROLE_VALUES = sorted(str(role) for role in STATION_ROLES)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARENT)
    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    school = models.ForeignKey(
        "schoolsync.School", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    mobile = models.CharField(_("mobile number"), max_length=11, unique=True, null=True, blank=True)
    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    # Parents bind their real identity; they then act for their children in the registry.
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True)

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
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(id_number__isnull=False), name="accounts_user_unique_id_number"
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
