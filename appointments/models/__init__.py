"""Booking and the on-site queue: windows, schedule rules, slots, bookings, tickets, calls,
ratings and follow-ups. See docs/appointments.md."""

from appointments.models.bookings import Booking, BookingSuspension, NoShowPolicy, Reminder
from appointments.models.feedback import FollowUp, Rating
from appointments.models.queue import Ticket, TicketCall
from appointments.models.schedule import ScheduleRule, Slot
from appointments.models.windows import Window

__all__ = [
    "Booking",
    "BookingSuspension",
    "FollowUp",
    "NoShowPolicy",
    "Rating",
    "Reminder",
    "ScheduleRule",
    "Slot",
    "Ticket",
    "TicketCall",
    "Window",
]
