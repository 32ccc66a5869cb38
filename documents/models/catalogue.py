"""Checklists as data: audit points, versioned checklists per business type, the questions that
decide which items apply, and the items themselves. Edited in the admin; seeded by a migration."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditPoint(models.Model):
    """One thing the pre-review checks (审核要点); ``check_kind`` names the code that checks it."""

    class Check(models.TextChoices):
        LEGIBLE = "legible", _("Legible (sharp, bright enough, large enough)")
        DOCUMENT_TYPE = "document_type", _("Right kind of document")
        NAME_MATCH = "name_match", _("Names match the application and the registry")
        ID_NUMBER = "id_number", _("ID number valid and matching")
        BIRTH_DATE = "birth_date", _("Birth date matches the ID number")
        DATE_VALID = "date_valid", _("Dated within the validity period")
        SEAL = "seal", _("Red seal present")
        CUSTODY = "custody", _("Court judgment names custody")
        ADDRESS = "address", _("Address inside the station's area")
        MANUAL = "manual", _("Checked by a clerk against the original")

    code = models.CharField(_("code"), max_length=8, unique=True)
    description = models.CharField(_("description"), max_length=200)
    check_kind = models.CharField(_("check"), max_length=16, choices=Check.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("audit point")
        verbose_name_plural = _("audit points")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class ChecklistQuerySet(models.QuerySet):
    def effective_on(self, day: dt.date):
        return self.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=day), effective_from__lte=day)


class Checklist(models.Model):
    """The materials list of one business type (or school scenario group) in one version.
    A new version with a later ``effective_from`` replaces the old one from that day on;
    applications keep the version they started with."""

    business_type = models.ForeignKey("hukou.BusinessType", on_delete=models.PROTECT, related_name="checklists")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=64)
    conditions = models.TextField(_("conditions (办理条件)"), blank=True)
    where = models.CharField(_("where"), max_length=128, blank=True, default="")
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["business_type__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["business_type", "version"], name="documents_checklist_one_per_version"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
                name="documents_checklist_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Question(models.Model):
    """A yes/no question of the guided interview; items name the answers they depend on."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=32)
    text = models.CharField(_("question"), max_length=128)
    help_text = models.CharField(_("help"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="documents_question_unique_code")]

    def __str__(self) -> str:
        return self.text


class ChecklistItem(models.Model):
    """One material. ``when`` lists answers that must hold for it to apply, e.g.
    ``["single_parent"]`` or ``["!property_delivered", "own_property"]`` (``!`` = answered no);
    empty means always."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    how_to = models.CharField(_("how to supply it"), max_length=200, blank=True)
    is_core = models.BooleanField(_("core (★)"), default=True)
    when = models.JSONField(_("applies when"), default=list, blank=True)
    # Words one of which the document must show (the "right kind of document" check).
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), null=True, blank=True)
    sample_image = models.ImageField(_("sample (样例)"), upload_to="samples/", blank=True)
    sample_text = models.CharField(_("what the sample shows"), max_length=200, blank=True)
    audit_points = models.ManyToManyField(AuditPoint, related_name="items", blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="documents_checklistitem_unique_code")
        ]

    def __str__(self) -> str:
        return f"{'★' if self.is_core else ''}{self.name}"

    def applies(self, answers: dict[str, bool]) -> bool:
        for condition in self.when:
            wanted = not condition.startswith("!")
            if bool(answers.get(condition.lstrip("!"), False)) != wanted:
                return False
        return True
