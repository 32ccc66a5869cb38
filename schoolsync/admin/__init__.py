from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from schoolsync.admin import delivery  # noqa: F401  (registers the delivery admin)
from schoolsync.forms import CatchmentUploadForm
from schoolsync.models import CatchmentArea, EligibilityRule, Enrolment, School, SchoolNoticeRead
from schoolsync.services.catchments import COLUMNS, catchment_import


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "phone"]
    search_fields = ["code", "name"]


@admin.register(CatchmentArea)
class CatchmentAreaAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "community", "road", "number_from", "number_to", "parity", "building"]
    list_filter = ["year", "school"]
    search_fields = ["school__name", "school__code", "community__name", "road"]
    autocomplete_fields = ["school"]
    list_select_related = ["school", "community"]
    change_list_template = "admin/schoolsync/catchmentarea/change_list.html"

    def get_urls(self):
        upload = path("import/", self.admin_site.admin_view(self.import_view), name="schoolsync_catchmentarea_import")
        return [upload, *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV: all rows written, or none and every wrong row listed."""
        if not self.has_add_permission(request) or not self.has_delete_permission(request):
            raise PermissionDenied
        form = CatchmentUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                count = catchment_import(text=form.cleaned_data["file"].read().decode("utf-8-sig"))
            except (ValidationError, UnicodeDecodeError) as exc:
                errors = exc.messages if isinstance(exc, ValidationError) else [_("The file is not UTF-8 text.")]
            else:
                self.message_user(
                    request, _("Imported %(count)s catchment areas.") % {"count": count}, messages.SUCCESS
                )
                return redirect("admin:schoolsync_catchmentarea_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "columns": COLUMNS,
            "opts": self.model._meta,
            "title": _("Import catchments from CSV"),
        }
        return render(request, "admin/schoolsync/catchmentarea/import.html", context)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "effective_from", "min_age_years", "min_registration_months", "require_guardian"]
    list_filter = ["year", "school"]
    autocomplete_fields = ["school"]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "person"]
    list_filter = ["year", "school"]
    raw_id_fields = ["person"]
    autocomplete_fields = ["school"]


@admin.register(SchoolNoticeRead)
class SchoolNoticeReadAdmin(admin.ModelAdmin):
    list_display = ["school", "change_event", "read_by", "read_at"]
    list_filter = ["school"]
    raw_id_fields = ["change_event"]

    def has_change_permission(self, request, obj=None):
        return False
