from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsyncConfig(AppConfig):
    name = "schoolsync"
    verbose_name = _("School sync")
