"""Input shapes of booking and queue pages. Business rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hukou.models import BusinessType, Station


class BusinessStationForm(forms.Form):
    business_type = forms.ModelChoiceField(
        label=_("Business"), queryset=BusinessType.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    station = forms.ModelChoiceField(
        label=_("Police station"), queryset=Station.objects.all(), empty_label=_("Choose…")
    )


class BookForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    # "self" or a child's person id (checked by the service against the registry).
    applicant = forms.CharField(label=_("Who is it for?"), max_length=20)

    def person_id(self) -> int | None:
        value = self.cleaned_data["applicant"]
        return None if value == "self" else int(value) if value.isdigit() else -1


class CheckInForm(forms.Form):
    # autofocus: the QR scanner types into the focused field (no inline script under the CSP).
    code = forms.CharField(
        label=_("Booking code (or scan the QR code)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    id_number = forms.CharField(label=_("or ID number"), max_length=20, required=False)
    priority = forms.BooleanField(label=_("Elderly, disabled or pregnant (priority)"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("id_number"):
            raise forms.ValidationError(_("Enter the booking code or the ID number."))
        return data


class WalkInForm(forms.Form):
    business_type = forms.ModelChoiceField(
        label=_("Business"), queryset=BusinessType.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    priority = forms.BooleanField(label=_("Elderly, disabled or pregnant (priority)"), required=False)


class ProxyBookingForm(forms.Form):
    business_type = forms.ModelChoiceField(
        label=_("Business"), queryset=BusinessType.objects.filter(is_active=True), empty_label=_("Choose…")
    )
    slot = forms.IntegerField(label=_("Time"))
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=64)
    applicant_id_number = forms.CharField(label=_("Applicant ID number"), max_length=20)
    applicant_phone = forms.CharField(label=_("Phone (for reminders)"), max_length=20, required=False)


class TransferForm(forms.Form):
    window = forms.IntegerField(label=_("To window"), required=False)
    business_type = forms.ModelChoiceField(
        label=_("or business"), queryset=BusinessType.objects.filter(is_active=True), required=False
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"), choices=[(i, "★" * i) for i in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False, widget=forms.Textarea)


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("What could not be done, and why?"), max_length=2000, widget=forms.Textarea)
    phone = forms.CharField(label=_("Phone for the answer (optional)"), max_length=20, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea)
