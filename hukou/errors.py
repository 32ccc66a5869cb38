"""Errors of the registry services that are not plain bad input.

Bad input raises ``django.core.exceptions.ValidationError`` (with a ``code``); the errors here
are conflicts the caller must treat differently (the API answers HTTP 409).
"""

from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """The row changed since the caller read it: someone else saved first. Nothing was written."""

    code = "stale_version"

    def __init__(self, *, current_version: int):
        self.current_version = current_version
        self.message = _(
            "Someone else changed this record while you were editing it. "
            "Reload the page to see their change, then make yours again."
        )
        super().__init__(str(self.message))
