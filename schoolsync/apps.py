from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsyncConfig(AppConfig):
    name = "schoolsync"
    verbose_name = _("School sync")

    def ready(self) -> None:
        from hukou.models import ChangeEvent
        from hukou.services.events import change_event_recorded
        from schoolsync import tasks  # noqa: F401  (registers the tasks the kick finds by name)
        from schoolsync.services.delivery import on_change_event_recorded

        change_event_recorded.connect(
            on_change_event_recorded, sender=ChangeEvent, dispatch_uid="schoolsync-outbound-event"
        )
