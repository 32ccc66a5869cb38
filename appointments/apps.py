from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Booking and queue")

    def ready(self):
        from appointments.station import windows_section
        from hukou.selectors.station import station_section_register

        station_section_register(windows_section)
