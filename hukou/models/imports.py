"""Bulk imports of legacy registry data: one row per uploaded file, watched by its uploader."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class ImportJobQuerySet(StationScopedQuerySet):
    station_path = "station"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: some rows are invalid, nothing was written")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.REJECTED, Status.FAILED)
    # The report keeps the first errors only; error_count says how many there were in all.
    MAX_REPORTED_ERRORS = 1000

    # Blank when the job was started from the command line on a file already on the server.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("police station")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    partial = models.BooleanField(_("import valid rows only"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    error_count = models.PositiveIntegerField(_("invalid rows"), default=0)
    # [{"row": 7, "column": "id_number", "message": "..."}]; row numbers as the spreadsheet shows them.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="hukou_importjob_processed_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
