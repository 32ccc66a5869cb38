"""Delivery of registry changes to the education system: the outbound outbox and its reports.

One ``OutboundEvent`` per ``hukou.ChangeEvent``, written in the same transaction as the change
(see ``schoolsync.services.delivery``). Its payload is frozen at that moment, so a retry days
later sends exactly the bytes the first attempt sent, under the same event id.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEvent(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        PARKED = "parked", _("Parked (refused)")
        EXHAUSTED = "exhausted", _("Exhausted (gave up retrying)")

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    change_event = models.OneToOneField(
        "hukou.ChangeEvent", on_delete=models.PROTECT, related_name="outbound", verbose_name=_("change event")
    )
    # The child the event is about: the unit of ordering.
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="outbound_events", verbose_name=_("person")
    )
    sequence = models.PositiveIntegerField(_("sequence per child"))
    event_type = models.CharField(_("event type"), max_length=32)
    occurred_at = models.DateTimeField(_("occurred at"))
    payload = models.JSONField(_("payload"))
    # Position in the pull feed; stamped after commit by one relay at a time (never skips).
    feed_version = models.BigIntegerField(_("feed version"), null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # Lease of the worker delivering it; a killed worker's lease simply runs out.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    # Start of the retry horizon: creation, or the last replay by an operator.
    retry_since = models.DateTimeField(_("retrying since"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound event")
        verbose_name_plural = _("outbound events")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "sequence"], name="schoolsync_outboundevent_one_sequence_per_child"
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="schoolsync_outboundevent_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="schoolsync_outbound_due_idx"),
            models.Index(
                fields=["person", "sequence"],
                condition=~Q(status="delivered"),
                name="schoolsync_outbound_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.sequence} ({self.event_id})"


class DeliveryAttempt(models.Model):
    """One POST of an event (or a lease that ran out without an answer being recorded). Appended,
    never changed: a replay or a decision adds rows, the history of refusals stays visible."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Acknowledged")
        RETRY = "retry", _("Failed, will retry")
        PARKED = "parked", _("Refused, parked")
        EXHAUSTED = "exhausted", _("Failed, gave up")
        LOST = "lost", _("No answer recorded (worker stopped, lease ran out)")

    event = models.ForeignKey(
        OutboundEvent, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("outbound event")
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["event", "started_at"], name="schoolsync_attempt_event_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.outcome} {self.status_code or ''}"


class OutboundDecision(models.Model):
    """An operator's audited decision about an event: replay it, skip it, or rebuild its body
    from the registry as it stands now. Who, when, why, and what the body was before."""

    class Kind(models.TextChoices):
        REPLAY = "replay", _("Replay")
        SKIP = "skip", _("Skip")
        REBUILD = "rebuild", _("Rebuild from current registry data")

    event = models.ForeignKey(
        OutboundEvent, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("outbound event")
    )
    kind = models.CharField(_("decision"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    previous_status = models.CharField(_("status before"), max_length=16)
    previous_payload = models.JSONField(_("payload before"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("operator decision")
        verbose_name_plural = _("operator decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="replay") | ~Q(reason=""),
                name="schoolsync_outbounddecision_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class SyncReport(models.Model):
    """Nightly reconciliation: what was created, acknowledged, parked for one day."""

    day = models.DateField(_("day"), unique=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    delivered = models.PositiveIntegerField(_("acknowledged"), default=0)
    pending = models.PositiveIntegerField(_("pending"), default=0)
    parked = models.PositiveIntegerField(_("parked"), default=0)
    exhausted = models.PositiveIntegerField(_("exhausted"), default=0)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    missing = models.PositiveIntegerField(_("change events without outbound row"), default=0)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)

    class Meta:
        verbose_name = _("sync reconciliation report")
        verbose_name_plural = _("sync reconciliation reports")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)
