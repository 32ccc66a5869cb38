"""Logging filters shared by every process."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (403, 404, 429: ``django.request`` logs them with the exception) is the
    system working, not a fault: keep the one-line warning, drop the traceback. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
