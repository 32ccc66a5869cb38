"""Input shapes of the registry screens (no business rules here)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hukou.models import AccessLog


class AccessLogFilterForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AccessLog.Action.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Everyone")), *((u.pk, u.display_name) for u in staff)]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))
    partial = forms.BooleanField(
        label=_("Import the valid rows even if some rows fail"),
        required=False,
        help_text=_("By default nothing is written unless every row is valid."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."), code="import_file_type")
        return upload
