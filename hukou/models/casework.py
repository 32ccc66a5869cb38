"""What some cases carry beside the registry change: the ID-card steps and scanned archive pages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class IdCardApplication(models.Model):
    """居民身份证办理: photo, fingerprints and fee at the window, then the card is ready and collected."""

    case = models.OneToOneField("hukou.Case", on_delete=models.PROTECT, related_name="id_card", verbose_name=_("case"))
    photo_taken = models.BooleanField(_("photo taken"), default=False)
    fingerprint_taken = models.BooleanField(_("fingerprints taken"), default=False)
    fee_paid = models.BooleanField(_("fee paid"), default=False)
    fee_amount = models.DecimalField(_("fee"), max_digits=7, decimal_places=2, null=True, blank=True)
    ready_at = models.DateTimeField(_("card ready at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collected_by_name = models.CharField(_("collected by"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("ID card application")
        verbose_name_plural = _("ID card applications")

    def __str__(self) -> str:
        return f"ID card {self.case_id}"


class ArchivePageQuerySet(StationScopedQuerySet):
    # A page belongs to a household or to a person (then to the person's household's station).
    station_path = ("household__station", "person__household__station")

    def update(self, **kwargs):
        raise TypeError("Archive pages are append-only.")

    def delete(self):
        raise TypeError("Archive pages are append-only.")


class ArchivePage(models.Model):
    """One scanned page of a person's or household's file. Append-only: never changed or removed."""

    file = models.FileField(_("scanned page"), upload_to="archives/%Y/%m/")
    title = models.CharField(_("title"), max_length=128)
    person = models.ForeignKey(
        "hukou.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive",
        verbose_name=_("person"),
    )
    household = models.ForeignKey(
        "hukou.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive",
        verbose_name=_("household"),
    )
    case = models.ForeignKey(
        "hukou.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="archive", verbose_name=_("case")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ArchivePageQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive page")
        verbose_name_plural = _("archive pages")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False), name="hukou_archivepage_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Archive pages are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Archive pages are append-only.")
