from tests.appointments.asgi_server import asgi_server  # noqa: F401  (fixture)
from tests.appointments.fixtures import (  # noqa: F401  (fixtures)
    birth,
    celery_eager,
    east_schedule,
    nine_oclock,
    staff_admin_east,
)
