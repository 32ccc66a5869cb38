from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Materials pre-review")

    def ready(self) -> None:
        # hukou must not import documents; it offers a guard hook instead (hukou.services.case_guards).
        from documents.services.supplements import core_materials_guard
        from hukou.services.case_guards import case_guard_register

        case_guard_register(core_materials_guard)

        # appointments must not import documents either: documents fills appointments' materials
        # extension point and follows moved bookings (docs/architecture.md).
        from appointments.selectors.materials import materials_provider_register
        from appointments.signals import booking_moved
        from documents.bridge import provider

        materials_provider_register(provider)
        booking_moved.connect(_booking_moved, dispatch_uid="documents.booking_moved")


def _booking_moved(sender, *, old, new, **kwargs) -> None:
    from documents.services.visits import booking_follow_move

    booking_follow_move(old=old, new=new)
