"""Catchments (学区): which addresses belong to a school, per enrolment year.

A catchment is the union of its areas. An area is a whole community, or one road of it, or a
range of house numbers on that road (optionally only odd or even numbers), or one building at
such a number range. Blank or null fields mean "any".
"""

from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CatchmentAreaQuerySet(models.QuerySet):
    def containing(self, address: str = "household__address"):
        """Areas containing the address an outer query reaches through ``address`` (for ``Exists``).

        The SQL twin of ``CatchmentArea.contains``: both are tested on the same cases.
        """

        def outer(field):
            return OuterRef(f"{address}__{field}")

        number = outer("number")
        parity = (
            Q(parity="any") | Q(Exact(Mod(number, 2), 1), parity="odd") | Q(Exact(Mod(number, 2), 0), parity="even")
        )
        return self.filter(
            Q(road="") | Q(road=outer("road")),
            Q(number_from__isnull=True) | Q(number_from__lte=number),
            Q(number_to__isnull=True) | Q(number_to__gte=number),
            Q(building="") | Q(building=outer("building")),
            parity,
            community_id=outer("community_id"),
        )


class CatchmentArea(models.Model):
    class Parity(models.TextChoices):
        ANY = "any", _("All numbers")
        ODD = "odd", _("Odd numbers")
        EVEN = "even", _("Even numbers")

    school = models.ForeignKey(
        "schoolsync.School", on_delete=models.PROTECT, related_name="catchment_areas", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(_("enrolment year"))
    community = models.ForeignKey(
        "hukou.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    road = models.CharField(_("road"), max_length=64, blank=True, help_text=_("Blank: the whole community."))
    number_from = models.PositiveIntegerField(_("from house number"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("to house number"), null=True, blank=True)
    parity = models.CharField(_("numbers"), max_length=4, choices=Parity.choices, default=Parity.ANY)
    building = models.CharField(_("building"), max_length=16, blank=True, help_text=_("Blank: every building."))
    history = HistoricalRecords()

    objects = CatchmentAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("catchment area")
        verbose_name_plural = _("catchment areas")
        ordering = ["school", "year", "community", "road", "number_from"]
        indexes = [models.Index(fields=["school", "year", "community"], name="schoolsync_catchment_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__isnull=True) | Q(number_to__isnull=True) | Q(number_from__lte=F("number_to")),
                name="schoolsync_catchmentarea_range_ordered",
            ),
            # Numbers and buildings only make sense on a named road.
            models.CheckConstraint(
                condition=~Q(road="")
                | (Q(number_from__isnull=True, number_to__isnull=True, building="", parity="any")),
                name="schoolsync_catchmentarea_detail_needs_road",
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.year} {self.community}{self.road}"
        if self.number_from is not None or self.number_to is not None:
            text += f" {self.number_from or ''}–{self.number_to or ''}号"
        if self.parity != self.Parity.ANY:
            text += f" ({self.get_parity_display()})"
        if self.building:
            text += f" {self.building}栋"
        return text

    def address_q(self, prefix: str = "") -> Q:
        """The condition an ``Address`` (reached through ``prefix``) must meet to lie in this area."""
        q = Q(**{f"{prefix}community_id": self.community_id})
        if self.road:
            q &= Q(**{f"{prefix}road": self.road})
        if self.number_from is not None:
            q &= Q(**{f"{prefix}number__gte": self.number_from})
        if self.number_to is not None:
            q &= Q(**{f"{prefix}number__lte": self.number_to})
        if self.parity != self.Parity.ANY:
            q &= Q(Exact(Mod(F(f"{prefix}number"), 2), 1 if self.parity == self.Parity.ODD else 0))
        if self.building:
            q &= Q(**{f"{prefix}building": self.building})
        return q

    def contains(self, address) -> bool:
        """The same test as ``address_q`` for an address already in memory."""
        if address.community_id != self.community_id or (self.road and address.road != self.road):
            return False
        if self.number_from is not None and address.number < self.number_from:
            return False
        if self.number_to is not None and address.number > self.number_to:
            return False
        if self.parity != self.Parity.ANY and (address.number % 2 == 1) != (self.parity == self.Parity.ODD):
            return False
        return not self.building or address.building == self.building
