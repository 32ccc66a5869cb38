"""Households (户) and persons: the registry itself. Nothing here is ever hard-deleted."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.idnumber import ID_NUMBER_PATTERN, mask_id_number, normalize_id_number
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.models.org import Address, Station
from hukou.visibility import StationScopedQuerySet

# Lets constraints say ``id_number__length=18``.
models.CharField.register_lookup(Length)


class HouseholdQuerySet(StationScopedQuerySet):
    station_path = "station"


class Household(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", _("Family household")
        COLLECTIVE = "collective", _("Collective household")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("household number"), max_length=18, unique=True)
    kind = models.CharField(_("household kind"), max_length=16, choices=Kind.choices, default=Kind.FAMILY)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households", verbose_name=_("address"))
    # Denormalised from address.community.station (set by the services) so that station scoping
    # of every registry list is one indexed column, not three joins.
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="households", verbose_name=_("police station")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Optimistic locking: every write bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class PersonQuerySet(StationScopedQuerySet):
    station_path = "household__station"

    def active(self):
        return self.filter(status=Person.Status.ACTIVE)


class Person(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")
        CANCELLED = "cancelled", _("Cancelled")

    # A newborn exists before an ID number is issued, hence nullable.
    id_number = models.CharField(_("resident ID number"), max_length=18, null=True, blank=True, db_index=True)
    name = models.CharField(_("full name"), max_length=64)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=128, blank=True, db_index=True)
    former_names = models.CharField(_("former names"), max_length=128, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, default="01")
    native_place = models.CharField(_("native place"), max_length=64, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    relationship = models.CharField(_("relationship to head"), max_length=2, choices=Relationship.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    registered_at_address_on = models.DateField(_("registered at this address on"))
    father = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children_as_father",
        verbose_name=_("father"),
    )
    mother = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children_as_mother",
        verbose_name=_("mother"),
    )
    moved_to = models.CharField(_("moved out to"), max_length=128, blank=True)
    # The person's own mobile number as recorded by the station (import, admin, window). A parent
    # account whose verified mobile matches it proves it belongs to this person.
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["household_id", "relationship", "birth_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status="active") & Q(id_number__isnull=False),
                name="hukou_person_unique_active_id_number",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="active", relationship="02"),
                name="hukou_person_one_head_per_household",
            ),
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(id_number__length=18),
                name="hukou_person_id_number_length",
            ),
            # Only the canonical form (common.idnumber.normalize_id_number) is ever stored, so the
            # unique constraint above cannot be dodged with full-width or other look-alike digits.
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(id_number__regex=ID_NUMBER_PATTERN),
                name="hukou_person_id_number_format",
            ),
        ]
        indexes = [models.Index(fields=["name", "sex", "birth_date"], name="hukou_person_dup_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Every path (services, admin, shell) stores the canonical form the constraints check.
        if self.id_number is not None:
            self.id_number = normalize_id_number(self.id_number) or None
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_head(self) -> bool:
        return self.relationship == Relationship.HEAD


class GuardianshipQuerySet(StationScopedQuerySet):
    # A guardianship belongs to the child's station (where the child is registered).
    station_path = "child__household__station"


class Guardianship(models.Model):
    """监护关系: who is guardian of a child, and whether they hold custody (监护权)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="guardianships", verbose_name=_("child"))
    guardian = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="wards", verbose_name=_("guardian"))
    relationship = models.CharField(_("relationship to child"), max_length=2, choices=Relationship.choices)
    has_custody = models.BooleanField(_("has custody"), default=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = GuardianshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "guardian"],
                condition=Q(valid_until__isnull=True),
                name="hukou_guardianship_one_open_per_pair",
            ),
            models.CheckConstraint(condition=~Q(child=models.F("guardian")), name="hukou_guardianship_not_self"),
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values), name="hukou_guardianship_relationship_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="hukou_guardianship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"
