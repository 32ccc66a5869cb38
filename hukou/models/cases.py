"""The business catalogue (八大类业务) as data, and cases (办件) that move through it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hukou.visibility import StationScopedQuerySet


class BusinessType(models.Model):
    """One kind of hukou business; what it needs and does is data, editable in the admin."""

    class Effect(models.TextChoices):
        ADD_PERSON = "add_person", _("Adds a person (birth)")
        MOVE_IN = "move_in", _("Moves a person in")
        MOVE_OUT = "move_out", _("Moves a person out")
        END_PERSON = "end_person", _("Ends a person (death, cancellation)")
        RESTORE_PERSON = "restore_person", _("Restores a person")
        CORRECT_FIELDS = "correct_fields", _("Changes or corrects fields")
        ID_CARD = "id_card", _("Resident ID card")
        ARCHIVE = "archive", _("Archives")
        CERTIFICATE_ONLY = "certificate_only", _("Issues a certificate only")

    class Certificate(models.TextChoices):
        NONE = "", _("No certificate")
        HUKOU = "hukou", _("Hukou certificate")
        ENROLMENT = "enrolment", _("Hukou certificate for school enrolment")
        REGISTER_EXTRACT = "register_extract", _("Household register extract")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    effect = models.CharField(_("registry effect"), max_length=32, choices=Effect.choices)
    certificate = models.CharField(
        _("certificate issued"), max_length=32, choices=Certificate.choices, blank=True, default=""
    )
    time_limit_working_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    # Role codes (common.roles.Role) allowed to receive / required to approve.
    receiver_roles = models.JSONField(_("who may receive"), default=list)
    approver_roles = models.JSONField(_("who must approve"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business type")
        verbose_name_plural = _("business catalogue")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_approval(self) -> bool:
        return bool(self.approver_roles)


class CaseQuerySet(StationScopedQuerySet):
    station_path = "station"


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        AWAITING_SUPPLEMENT = "awaiting_supplement", _("Accepted, awaiting missing materials")
        UNDER_REVIEW = "under_review", _("Under review")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        LAPSED = "lapsed", _("Ended: supplement deadline missed")
        RETURNED = "returned", _("Sent back for correction")

    # Still being worked on (counted against the time limit) / finished, whatever the outcome.
    OPEN_STATUSES = frozenset({Status.RECEIVED, Status.AWAITING_SUPPLEMENT, Status.UNDER_REVIEW, Status.RETURNED})
    CLOSED_STATUSES = frozenset({Status.COMPLETED, Status.REJECTED, Status.LAPSED})

    number = models.CharField(_("case number"), max_length=24, unique=True)
    business_type = models.ForeignKey(
        BusinessType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("business type")
    )
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="cases", verbose_name=_("police station")
    )
    household = models.ForeignKey(
        "hukou.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("person")
    )
    applicant_name = models.CharField(_("applicant name"), max_length=64)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=18, blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=20, blank=True)
    # What the applicant asks for (the new person's details, the fields to correct, ...).
    payload = models.JSONField(_("request details"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    # 首问负责制: the clerk who received the case owns it to the end.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_received", verbose_name=_("received by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_approved",
        verbose_name=_("approved by"),
    )
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("due on"))
    supplement_due_on = models.DateField(_("supplement due on"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    # 容缺受理: the non-core items the applicant still owes, named once on the one-time notice.
    missing_items = models.JSONField(_("missing materials"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            # The two-person rule, held by the database itself.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("received_by")),
                name="hukou_case_approver_is_not_receiver",
            ),
        ]
        indexes = [models.Index(fields=["station", "status", "due_on"], name="hukou_case_queue_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def certificate_due(self) -> bool:
        """Completed, issues a certificate, and about one person: the certificate can be issued."""
        return self.is_completed and bool(self.business_type.certificate) and self.person_id is not None


class CaseTransition(models.Model):
    """Append-only record of every step of a case: who, when, from what to what, and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("case"))
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24)
    # Empty only for the system's own steps (a supplement deadline lapsing at night).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '-'} -> {self.to_status}"

    @property
    def to_status_label(self) -> str:
        return Case.Status(self.to_status).label if self.to_status in Case.Status.values else self.to_status
