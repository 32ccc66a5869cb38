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
