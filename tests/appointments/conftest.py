from tests.appointments.asgi_server import asgi_server  # noqa: F401  (fixture)
from tests.appointments.fixtures import birth, east_schedule, nine_oclock  # noqa: F401  (fixtures)
