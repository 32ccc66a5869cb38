"""Pages of the materials pre-review: the public guide, the parent's phone flow, the window."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def message_error(request, error: ValidationError) -> None:
    """A service's refusal (Chinese) shown on the next page; nothing was written."""
    messages.error(request, " ".join(error.messages))
