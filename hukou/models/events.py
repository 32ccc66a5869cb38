"""Change events: the registry's outbox towards anything that must hear about changes.

Every change a school could care about writes one row here in the same database transaction as
the change itself (see ``hukou.services.events``), so a consumer (the school sync) can never miss
one: if the change committed, its event did too. hukou knows nothing of who consumes them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeEvent(models.Model):
    class Kind(models.TextChoices):
        PERSON_ADDED = "person_added", _("Person added")
        PERSON_ENDED = "person_ended", _("Person ended (moved out, deceased, cancelled)")
        PERSON_RESTORED = "person_restored", _("Person restored")
        ADDRESS_CHANGED = "address_changed", _("Address changed")
        HOUSEHOLD_CHANGED = "household_changed", _("Household changed")
        RELATIONSHIP_CHANGED = "relationship_changed", _("Relationship to head changed")
        GUARDIAN_CHANGED = "guardian_changed", _("Guardian changed")
        NAME_CHANGED = "name_changed", _("Name changed")
        SEX_CHANGED = "sex_changed", _("Sex changed")
        BIRTH_DATE_CHANGED = "birth_date_changed", _("Birth date changed")
        ID_NUMBER_CHANGED = "id_number_changed", _("ID number changed")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    person = models.ForeignKey(
        "hukou.Person", on_delete=models.PROTECT, related_name="change_events", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "hukou.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_events",
        verbose_name=_("household"),
    )
    case = models.ForeignKey(
        "hukou.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_events",
        verbose_name=_("case"),
    )
    # Where the person's hukou address was before the change, when the change moved it (a move
    # between households, a household's new address). A typed column, not a JSON entry, so
    # consumers such as school notices can join on it ("moved out of our catchment").
    previous_address = models.ForeignKey(
        "hukou.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous address"),
    )
    # {"field": {"before": ..., "after": ...}} for every field the change touched.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("by")
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"
