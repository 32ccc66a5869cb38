from tests.appointments.fixtures import birth, east_schedule, nine_oclock  # noqa: F401  (fixtures)
