"""Police stations (派出所) and the structured addresses inside their jurisdiction."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hukou.visibility import StationScopedQuerySet


class Station(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    district = models.CharField(_("district"), max_length=32)
    # 行政区划代码 of the registration place: the first six digits of every ID number issued here.
    division_code = models.CharField(
        _("administrative division code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[1-8]\d{5}$", _("Six digits, the first 1-8."))],
    )
    address = models.CharField(_("address"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """A community (社区) of a sub-district (街道); each lies in exactly one station's jurisdiction."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="communities", verbose_name=_("police station")
    )
    district = models.CharField(_("district"), max_length=32)
    subdistrict = models.CharField(_("sub-district"), max_length=32)
    name = models.CharField(_("community"), max_length=32)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["district", "subdistrict", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "subdistrict", "name"], name="hukou_community_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.district}{self.subdistrict}{self.name}"


class AddressQuerySet(StationScopedQuerySet):
    station_path = "community__station"


class Address(models.Model):
    """区 / 街道 / 社区 / road and number / building / unit / room."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("community")
    )
    road = models.CharField(_("road"), max_length=64)
    number = models.PositiveIntegerField(_("house number"))
    number_suffix = models.CharField(_("number suffix"), max_length=8, blank=True)
    building = models.CharField(_("building"), max_length=16, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    room = models.CharField(_("room"), max_length=16, blank=True)
    history = HistoricalRecords()

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "road", "number", "number_suffix", "building", "unit", "room"],
                name="hukou_address_unique_place",
            )
        ]

    def __str__(self) -> str:
        return self.full_text

    @property
    def full_text(self) -> str:
        parts = [str(self.community), self.road, f"{self.number}{self.number_suffix}号"]
        if self.building:
            parts.append(f"{self.building}栋")
        if self.unit:
            parts.append(f"{self.unit}单元")
        if self.room:
            parts.append(f"{self.room}室")
        return "".join(parts)
