"""Input shapes only; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.models import Verdict


class StartForm(forms.Form):
    business = forms.SlugField(label=_("Business"))
    child = forms.IntegerField(label=_("Child"), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))


class OverrideForm(forms.Form):
    upload = forms.IntegerField(widget=forms.HiddenInput)
    point = forms.CharField(max_length=8, widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Verdict"), choices=Verdict.Result.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class BeyondNoticeForm(forms.Form):
    item = forms.IntegerField(label=_("Material"))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


def answers_from(data, questions) -> dict[str, bool]:
    """Yes/no answers from a POST or GET: ``q_<code>=yes``; unanswered counts as no. Anything
    but ``yes``/``no`` (a NUL, a 10 MB string, a hand-made value) is refused, not read as no."""
    answers = {}
    for question in questions:
        value = data.get(f"q_{question.code}", "")
        if value not in ("yes", "no", ""):
            raise ValidationError(_("Answer each question with yes or no."), code="answer_invalid")
        answers[question.code] = value == "yes"
    return answers
