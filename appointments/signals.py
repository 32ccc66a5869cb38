"""Signals other apps may listen to (appointments imports none of them).

``booking_moved`` is sent inside ``booking_reschedule``'s transaction with ``old`` and ``new``
bookings: moving a visit makes a new booking (new code, new slot) and cancels the old one, so
whatever another app tied to the old booking can follow it (documents moves the tied
pre-review application)."""

from django.dispatch import Signal

booking_moved = Signal()
