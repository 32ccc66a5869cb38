"""Schools."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class School(models.Model):
    code = models.CharField(_("school code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    district = models.CharField(_("district"), max_length=32)
    address = models.CharField(_("address"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
