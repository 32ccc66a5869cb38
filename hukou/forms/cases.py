"""Receive forms for the window: common applicant fields plus the fields of each business type.

Forms only shape input (find the household or person the clerk typed, build the payload); the
rules are the services'. Households are found by number and persons by ID number, both only
among what the clerk's station may see.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.idnumber import normalize_id_number
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.models import Address, BusinessType, Household
from hukou.selectors.lookup import (
    addresses_visible_to,
    household_by_number,
    person_by_id_number,
    person_by_id_number_any_status,
)
from hukou.services.registry import CORRECTABLE

Effect = BusinessType.Effect
DATE = forms.DateInput(attrs={"type": "date"})
NOT_HEAD = [choice for choice in Relationship.choices if choice[0] != Relationship.HEAD]


class CaseReceiveForm(forms.Form):
    """The fields every case has. Subclasses add their own and build ``payload()``."""

    applicant_name = forms.CharField(label=_("Applicant name"), max_length=64)
    applicant_id_number = forms.CharField(label=_("Applicant ID number"), max_length=18, required=False)
    applicant_phone = forms.CharField(label=_("Applicant phone"), max_length=20, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    needs_household = False
    needs_person = False
    person_any_status = False

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["applicant_name"].widget.attrs["autofocus"] = True
        if self.needs_household:
            self.fields["household_number"] = forms.CharField(label=_("Household number"), max_length=18)
        if self.needs_person:
            self.fields["person_id_number"] = forms.CharField(
                label=_("Resident ID number of the person"), max_length=18
            )
        # Who the case is about comes first; the applicant may be someone else (a parent).
        self.order_fields(["household_number", "person_id_number"])

    def clean_household_number(self):
        number = self.cleaned_data["household_number"].strip()
        household = household_by_number(user=self.user, number=number)
        if household is None:
            raise forms.ValidationError(_("No household with this number at your station."))
        return household

    def clean_person_id_number(self):
        number = self.cleaned_data["person_id_number"]
        find = person_by_id_number_any_status if self.person_any_status else person_by_id_number
        person = find(user=self.user, id_number=number)
        if person is None:
            raise forms.ValidationError(_("No resident with this ID number at your station."))
        return person

    def household(self):
        return self.cleaned_data.get("household_number")

    def person(self):
        return self.cleaned_data.get("person_id_number")

    def payload(self) -> dict:
        return {}


class _PersonFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    id_number = forms.CharField(label=_("Resident ID number (if issued)"), max_length=18, required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNICITIES, initial="01")
    native_place = forms.CharField(label=_("Native place"), max_length=64, required=False)

    def person_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("name", "sex", "id_number", "ethnicity", "native_place")}
        return {**data, "birth_date": self.cleaned_data["birth_date"].isoformat()}


class BirthForm(_PersonFields, CaseReceiveForm):
    needs_household = True
    relationship = forms.ChoiceField(label=_("Relationship to head"), choices=NOT_HEAD, initial=Relationship.SON)
    father_id_number = forms.CharField(label=_("Father's ID number"), max_length=18, required=False)
    mother_id_number = forms.CharField(label=_("Mother's ID number"), max_length=18, required=False)

    def _parent(self, key):
        number = normalize_id_number(self.cleaned_data.get(key) or "")
        if not number:
            return None
        parent = person_by_id_number_any_status(user=self.user, id_number=number)
        if parent is None:
            raise forms.ValidationError(_("No resident with this ID number at your station."))
        return parent.pk

    def clean_father_id_number(self):
        return self._parent("father_id_number")

    def clean_mother_id_number(self):
        return self._parent("mother_id_number")

    def payload(self):
        return {
            **self.person_data(),
            "relationship": self.cleaned_data["relationship"],
            "father_id": self.cleaned_data.get("father_id_number"),
            "mother_id": self.cleaned_data.get("mother_id_number"),
        }


class MoveInForm(_PersonFields, CaseReceiveForm):
    """Joins an existing household (its number) or founds one at an address of the station.
    The person is either already in the station's registry (their ID number: moved out earlier,
    or moving within the station) or new to it (their details)."""

    existing_id_number = forms.CharField(label=_("Already registered here: ID number"), max_length=18, required=False)
    relationship = forms.ChoiceField(label=_("Relationship to head"), choices=Relationship.choices)
    household_number = forms.CharField(label=_("Household to join (number)"), max_length=18, required=False)
    address = forms.ModelChoiceField(
        label=_("Or: address of a new household"), queryset=Address.objects.none(), required=False
    )
    household_kind = forms.ChoiceField(label=_("Household kind"), choices=Household.Kind.choices, required=False)
    moved_in_on = forms.DateField(label=_("Moved in on"), widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["address"].queryset = addresses_visible_to(user=user)
        for name in ("name", "sex", "birth_date"):
            self.fields[name].required = False  # required only for a person new to the registry
        self.order_fields(["existing_id_number", "name", "sex", "birth_date"])

    def clean_household_number(self):
        return super().clean_household_number() if self.cleaned_data["household_number"].strip() else None

    def clean_existing_id_number(self):
        number = normalize_id_number(self.cleaned_data["existing_id_number"])
        if not number:
            return None
        person = person_by_id_number_any_status(user=self.user, id_number=number)
        if person is None:
            raise forms.ValidationError(_("No resident with this ID number at your station."))
        return person

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("household_number") and not cleaned.get("address"):
            raise forms.ValidationError(_("Choose the household or the address to move into."))
        new_person = all(cleaned.get(name) for name in ("name", "sex", "birth_date"))
        if not cleaned.get("existing_id_number") and not new_person:
            raise forms.ValidationError(_("Give either an existing person or the new person's details."))
        return cleaned

    def person(self):
        return self.cleaned_data.get("existing_id_number")

    def payload(self):
        moved_in_on = self.cleaned_data.get("moved_in_on")
        return {
            "person": None if self.person() else self.person_data(),
            "relationship": self.cleaned_data["relationship"],
            "address_id": self.cleaned_data["address"].pk if self.cleaned_data.get("address") else None,
            "household_kind": self.cleaned_data.get("household_kind") or Household.Kind.FAMILY,
            "moved_in_on": moved_in_on.isoformat() if moved_in_on else None,
        }


class MoveOutForm(CaseReceiveForm):
    needs_person = True
    destination = forms.CharField(label=_("Moving to"), max_length=128)

    def payload(self):
        return {"destination": self.cleaned_data["destination"]}


class EndPersonForm(CaseReceiveForm):
    needs_person = True
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def payload(self):
        return {"reason": self.cleaned_data["reason"]}


class RestoreForm(EndPersonForm):
    person_any_status = True


class CorrectionForm(CaseReceiveForm):
    needs_person = True
    field = forms.ChoiceField(
        label=_("Item to change"),
        choices=[
            ("name", _("Name")),
            ("former_names", _("Former names")),
            ("sex", _("Sex")),
            ("birth_date", _("Birth date")),
            ("id_number", _("Resident ID number")),
            ("ethnicity", _("Ethnicity code")),
            ("native_place", _("Native place")),
            ("relationship", _("Relationship code")),
        ],
    )
    new_value = forms.CharField(label=_("New value"), max_length=128)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def payload(self):
        assert self.cleaned_data["field"] in CORRECTABLE
        return {
            "changes": {self.cleaned_data["field"]: self.cleaned_data["new_value"]},
            "reason": self.cleaned_data["reason"],
        }


class PersonCaseForm(CaseReceiveForm):
    """ID card, certificates: about one resident."""

    needs_person = True


class HouseholdCaseForm(CaseReceiveForm):
    """Archives: about one household."""

    needs_household = True


FORMS = {
    Effect.ADD_PERSON: BirthForm,
    Effect.MOVE_IN: MoveInForm,
    Effect.MOVE_OUT: MoveOutForm,
    Effect.END_PERSON: EndPersonForm,
    Effect.RESTORE_PERSON: RestoreForm,
    Effect.CORRECT_FIELDS: CorrectionForm,
    Effect.ID_CARD: PersonCaseForm,
    Effect.ARCHIVE: HouseholdCaseForm,
    Effect.CERTIFICATE_ONLY: PersonCaseForm,
}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MissingItemsForm(forms.Form):
    missing_items = forms.CharField(
        label=_("Missing non-core materials, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["missing_items"].splitlines() if line.strip()]


class ArchivePageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=128)
    file = forms.FileField(label=_("Scanned page"))
