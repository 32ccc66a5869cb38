from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolsync.selectors.eligibility import enrolment_year_on
from schoolsync.services.eligibility import LookupPurpose


def _coming_enrolment_year() -> int:
    return enrolment_year_on(timezone.localdate())


class LookupForm(forms.Form):
    # Not validated here: the service validates the ID number so that it can log the attempt.
    id_number = forms.CharField(label=_("Child's resident ID number"), max_length=32)
    # Shown filled in with the enrolment year the lookup would use anyway when left blank.
    year = forms.IntegerField(
        label=_("Enrolment year"), min_value=2000, max_value=2100, required=False, initial=_coming_enrolment_year
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=LookupPurpose.choices, initial=LookupPurpose.ENROLMENT, required=False
    )

    def clean_purpose(self) -> str:
        return self.cleaned_data["purpose"] or LookupPurpose.ENROLMENT


class CatchmentUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8; one catchment area per row."))
