import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from common.idnumber import validate_id_number
from common.validators import mobile_validate, name_validate

MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile number or user name"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class ParentRegistrationForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile number"), max_length=11)
    real_name = forms.CharField(label=_("Real name"), max_length=64)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean_mobile(self) -> str:
        mobile = self.cleaned_data["mobile"].strip()
        # ASCII digits only (a full-width ３ matches ``\d``); the shared rule of common.validators.
        if not MOBILE_RE.fullmatch(mobile):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return mobile_validate(mobile)

    def clean_real_name(self) -> str:
        return name_validate(self.cleaned_data["real_name"])

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
