"""Queue tickets (排号) and every call of one (the display's catch-up log)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hukou.visibility import StationScopedQuerySet


def _token() -> str:
    return secrets.token_urlsafe(16)


class TicketQuerySet(StationScopedQuerySet):
    station_path = "station"


class Ticket(models.Model):
    class Series(models.TextChoices):
        BOOKED = "A", _("Booked")
        PRIORITY = "P", _("Priority (elderly, disabled, pregnant)")
        WALK_IN = "B", _("Walk-in")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being served")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not answer the call")

    OPEN = (Status.WAITING, Status.CALLED, Status.SERVING)

    station = models.ForeignKey("hukou.Station", on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("day"))
    series = models.CharField(_("series"), max_length=1, choices=Series.choices)
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=8)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    business_type = models.ForeignKey("hukou.BusinessType", on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField(
        "appointments.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="ticket"
    )
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    applicant_name = models.CharField(_("applicant name"), max_length=64, blank=True)
    applicant_id_number = models.CharField(_("applicant ID number"), max_length=18, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    # Booked visitors are due at their slot; the call rule serves due ones first.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    window = models.ForeignKey(
        "appointments.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    # Transferred to this window: only it may call the ticket next.
    for_window = models.ForeignKey(
        "appointments.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # "The case remembers the ticket": hukou knows nothing of tickets, the ticket points at it.
    case = models.ForeignKey("hukou.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["day", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day", "number"], name="appointments_ticket_unique_number")
        ]
        indexes = [models.Index(fields=["station", "day", "status"], name="appointments_ticket_queue_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class TicketCall(models.Model):
    """One call (or recall) of a ticket to a window. The id is the display's sequence: a display
    that reconnects asks for every call after the last id it saw."""

    station = models.ForeignKey("hukou.Station", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    window = models.ForeignKey("appointments.Window", on_delete=models.CASCADE, related_name="+")
    is_recall = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["station", "id"], name="appointments_call_station_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.window_id}"
