"""A parent's application: the answers, the items they owe (computed once), the uploads and
the pre-review's verdicts. Station-owned rows are scoped with ``StationScopedQuerySet``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class ApplicationQuerySet(StationScopedQuerySet):
    station_path = "station"

    def of_applicant(self, user):
        return self.filter(applicant=user) if user and user.is_authenticated else self.none()


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RECEIVED = "received", _("Received at the window")
        AWAITING_SUPPLEMENT = "awaiting_supplement", _("Accepted, awaiting missing materials")
        PROCEEDING = "proceeding", _("All materials passed, case proceeding")
        LAPSED = "lapsed", _("Ended: supplement deadline missed")

    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, related_name="material_applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    applicant_name = models.CharField(_("applicant name"), max_length=64)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=18, blank=True)
    applicant_phone = models.CharField(_("applicant phone"), max_length=20, blank=True)
    checklist = models.ForeignKey("documents.Checklist", on_delete=models.PROTECT, related_name="applications")
    child = models.ForeignKey("hukou.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    case = models.OneToOneField(
        "hukou.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="material_application"
    )
    commitment_signed_at = models.DateTimeField(_("commitment acknowledged at"), null=True, blank=True)
    # The visit this application is for (documents knows appointments, never the reverse): one
    # application per booking. A moved booking takes it along (appointments.signals.booking_moved).
    booking = models.OneToOneField(
        "appointments.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="material_application",
        verbose_name=_("booked visit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("materials application")
        verbose_name_plural = _("materials applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.checklist.title} · {self.applicant_name}"


class ApplicationItem(models.Model):
    """One material this application owes. ``status`` is the current verdict on the latest
    upload: missing until something is uploaded; then pending, passed, failed or needs a person."""

    class Status(models.TextChoices):
        MISSING = "missing", _("Not uploaded")
        PENDING = "pending", _("Checking")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        NEEDS_PERSON = "needs_person", _("A clerk will check")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("documents.ChecklistItem", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.MISSING)
    reason = models.TextField(_("reason"), blank=True)
    # Set when a clerk overrode the automatic verdict (see Verdict rows with source=clerk).
    overridden = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="documents_applicationitem_once")]

    def __str__(self) -> str:
        return f"{self.item.name}: {self.status}"

    @property
    def is_core(self) -> bool:
        return self.item.is_core


class Upload(models.Model):
    """One clean file kept for an item (the pipeline's output, in private storage)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for pre-review")
        CHECKING = "checking", _("Pre-review running")
        DONE = "done", _("Pre-review done")
        ERROR = "error", _("Pre-review failed; a clerk will check")

    application_item = models.ForeignKey(ApplicationItem, on_delete=models.CASCADE, related_name="uploads")
    # Denormalised so one application cannot hold the same file twice (a database rule).
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    thumbnail_name = models.CharField(max_length=255, blank=True)
    preview_name = models.CharField(max_length=255, blank=True)
    original_name = models.CharField(max_length=128)
    content_type = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(default=1)
    measures = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(default=list, blank=True)
    ocr_text = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    is_current = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The pre-review's claim: a worker takes a queued upload (or one whose claim went stale,
    # its worker presumed dead) and bumps ``attempt``; only the holder of the latest attempt
    # may write verdicts, so two workers never both record a result for one upload.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "sha256"], name="documents_upload_no_duplicate_file"),
            models.UniqueConstraint(
                fields=["application_item"], condition=Q(is_current=True), name="documents_upload_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def image_name(self) -> str:
        return self.preview_name or (self.file_name if self.content_type.startswith("image/") else "")


class Verdict(models.Model):
    """The result of one audit point on one upload: automatic, or a clerk's override with a reason."""

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NEEDS_PERSON = "needs_person", _("Needs a person")

    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        CLERK = "clerk", _("Clerk")

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="verdicts")
    audit_point = models.ForeignKey("documents.AuditPoint", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=16, choices=Result.choices)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.AUTO)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="auto") | (Q(decided_by__isnull=False) & ~Q(reason="")),
                name="documents_verdict_override_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.audit_point.code}: {self.result}"
