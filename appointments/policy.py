"""Who may do what in booking and the queue: the role sets, declared once for the app."""

from common.roles import Role

# Parents book for themselves and their own children.
PARENT_ROLES = (Role.PARENT,)
# The window console, the clerk's check-in desk and proxy bookings (帮办代办).
WINDOW_ROLES = (Role.CLERK, Role.AUX_CLERK, Role.APPROVER, Role.STATION_ADMIN)
# The kiosk (排号机) and the rating tablet run on a station device logged in as station staff.
KIOSK_ROLES = WINDOW_ROLES
# Flagged bookings and 办不成事 follow-ups.
STATION_ADMIN_ROLES = (Role.STATION_ADMIN,)
