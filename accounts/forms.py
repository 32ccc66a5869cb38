from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from common.idnumber import validate_id_number
from common.validators import validate_mobile, validate_person_name


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile number or user name"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


def clean_mobile_number(value: str) -> str:
    return validate_mobile((value or "").strip())


# The shared validator accepts grouped and +86 forms ("139 0000 0077") and stores 11 digits; the
# field must let them through to it.
MOBILE_INPUT_LENGTH = 20


class MobileForm(forms.Form):
    """Only the mobile number: asking for a one-time code."""

    mobile = forms.CharField(label=_("Mobile number"), max_length=MOBILE_INPUT_LENGTH)

    def clean_mobile(self) -> str:
        return clean_mobile_number(self.cleaned_data["mobile"])


class ParentRegistrationForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=MOBILE_INPUT_LENGTH)
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        help_text=_("Press “Send code” and type the 6-digit code texted to this mobile number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    real_name = forms.CharField(label=_("Real name"), max_length=64)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_mobile(self) -> str:
        return clean_mobile_number(self.cleaned_data["mobile"])

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("The verification code has 6 digits."))
        return code

    def clean_real_name(self) -> str:
        return validate_person_name(self.cleaned_data["real_name"], max_length=64)

    def clean_id_number(self) -> str:
        return validate_id_number(self.cleaned_data["id_number"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class WindowIdentityCheckForm(forms.Form):
    """What the clerk types from the original ID card held at the window."""

    user_id = forms.IntegerField(widget=forms.HiddenInput)
    name_seen = forms.CharField(label=_("Name on the ID card"), max_length=64)
    id_number_seen = forms.CharField(label=_("ID number on the ID card"), max_length=20)
    card_checked = forms.BooleanField(
        label=_("I have checked the original ID card and that it belongs to the person at the window"),
    )

    def clean_id_number_seen(self) -> str:
        return validate_id_number(self.cleaned_data["id_number_seen"])


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("grant", _("Grant")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("What was checked"), max_length=200)
