"""Input shapes of the household and guardianship edit screens (the rules live in the services).

Every household form carries the ``version`` the clerk saw in a hidden field: the service
re-checks it under the row lock, so a second clerk saving over a change they never saw is refused.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from hukou.codes import Relationship
from hukou.models import Address, Household, Person
from hukou.selectors.lookup import addresses_visible_to, person_by_id_number

NOT_HEAD = [(value, label) for value, label in Relationship.choices if value != Relationship.HEAD]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason_field(label=None):
    label = label or _("Reason")
    return forms.CharField(label=label, max_length=90, widget=forms.TextInput(attrs={"autocomplete": "off"}))


class HouseholdEditForm(forms.Form):
    address = forms.ModelChoiceField(label=_("Address"), queryset=Address.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Household kind"), choices=Household.Kind.choices)
    reason = _reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user, household: Household, **kwargs):
        kwargs.setdefault(
            "initial", {"address": household.address_id, "kind": household.kind, "version": household.version}
        )
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = addresses_visible_to(user=user)


class ChangeHeadForm(forms.Form):
    new_head = forms.TypedChoiceField(
        label=_("New head of household"),
        coerce=int,
        error_messages={"invalid_choice": _("The new head must be an active member of this household.")},
    )
    old_head_relationship = forms.ChoiceField(
        label=_("The old head's new relationship to the new head"), choices=NOT_HEAD
    )
    reason = _reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, household: Household, members, **kwargs):
        kwargs.setdefault("initial", {"version": household.version})
        super().__init__(*args, **kwargs)
        candidates = [m for m in members if m.relationship != Relationship.HEAD]
        self.fields["new_head"].choices = [(m.pk, f"{m.name} · {m.get_relationship_display()}") for m in candidates]


class GuardianAddForm(forms.Form):
    guardian_id_number = forms.CharField(label=_("Guardian's resident ID number"), max_length=18)
    relationship = forms.ChoiceField(label=_("Guardian's relationship to the child"), choices=NOT_HEAD)
    has_custody = forms.BooleanField(label=_("Has custody"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    reason = _reason_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_guardian_id_number(self) -> Person:
        """The guardian must be a resident of the clerk's own station, found by ID number."""
        guardian = person_by_id_number(user=self.user, id_number=self.cleaned_data["guardian_id_number"])
        if guardian is None:
            raise forms.ValidationError(
                _("No active resident of this police station has this ID number."), code="guardian_unknown"
            )
        return guardian


class GuardianEndForm(forms.Form):
    valid_until = forms.DateField(label=_("Ended on"), required=False, widget=DATE)
    reason = _reason_field(_("Reason for ending"))

    def __init__(self, *args, valid_from, **kwargs):
        super().__init__(*args, **kwargs)
        self.valid_from = valid_from

    def clean_valid_until(self):
        until = self.cleaned_data["valid_until"]
        if until is not None and until < self.valid_from:
            raise forms.ValidationError(
                _("A guardianship cannot end before it began (%(date)s).") % {"date": self.valid_from.isoformat()},
                code="guardianship_end_before_start",
            )
        return until
