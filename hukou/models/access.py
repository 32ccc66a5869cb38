"""The append-only access log of personal data: every view, search, lookup and export."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


class AccessLogQuerySet(StationScopedQuerySet):
    station_path = "station"

    def update(self, **kwargs):  # pragma: no cover - guard
        raise TypeError("The access log is append-only.")

    def delete(self):
        raise TypeError("The access log is append-only.")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("View")
        SEARCH = "search", _("Search")
        LOOKUP = "lookup", _("Eligibility lookup")
        EXPORT = "export", _("Export")
        PRINT = "print", _("Print")

    # None for who is not a user of ours: the public (certificate verification) and the
    # education system's client (pull feed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    station = models.ForeignKey(
        "hukou.Station", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("police station")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # What was accessed: "person:123", "household:45", or the search terms (masked).
    target = models.CharField(_("target"), max_length=255)
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    # Everyone the view showed when it was more than one (a household's members, a list page):
    # "who looked at this person" finds the household views too.
    persons = models.ManyToManyField("hukou.Person", blank=True, related_name="+", verbose_name=_("persons shown"))
    purpose = models.CharField(_("purpose"), max_length=128)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The access log is append-only.")
