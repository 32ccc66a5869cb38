"""Refusals of booking and queue services. Each is a ``ValidationError`` (Chinese message, code),
so pages show it as a form error and the API's common error format answers it; the API maps
``SlotFull`` to 409 (with the next free slots) and ``Busy`` to 503."""

from django.core.exceptions import ValidationError


class SlotFull(ValidationError):
    """Every place of the slot is taken."""


class Busy(ValidationError):
    """The slot's lock was not acquired in time (a burst); the caller may retry."""
