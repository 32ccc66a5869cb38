# The booking fixtures, for the hostile-input and access-log tests of the new apps.
from tests.appointments.fixtures import birth, east_schedule, nine_oclock  # noqa: F401  (fixtures)
from tests.documents.conftest import _private_root, eager_celery, private_root  # noqa: F401  (fixtures)
