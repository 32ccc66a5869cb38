from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import AccessLoggedAdmin, ReadOnlyAdmin
from hukou.models import (
    AccessLog,
    Address,
    ArchivePage,
    BusinessType,
    Case,
    CaseTransition,
    ChangeEvent,
    Community,
    DuplicateSuspect,
    Guardianship,
    Household,
    IdCardApplication,
    ImportJob,
    Person,
    Station,
)
from hukou.models.certificates import Certificate, CertificatePrint
from hukou.models.idnumbers import IssuedIdNumber


class NoDeleteAdmin(SimpleHistoryAdmin):
    """The registry is never hard-deleted, not even by a system admin."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "division_code", "phone"]
    search_fields = ["code", "name"]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "subdistrict", "district", "station"]
    list_filter = ["station", "district"]


@admin.register(Address)
class AddressAdmin(NoDeleteAdmin):
    list_display = ["__str__", "community"]
    list_select_related = ["community"]
    list_filter = ["community__station"]
    search_fields = ["road", "community__name"]


class MemberInline(admin.TabularInline):
    model = Person
    fields = ["name", "masked_id", "relationship", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description="ID")
    def masked_id(self, obj):
        return obj.masked_id_number


@admin.register(Household)
class HouseholdAdmin(AccessLoggedAdmin, NoDeleteAdmin):
    def access_log_persons(self, obj):
        return list(obj.members.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")  # logged for each row

    def access_log_station(self, obj):
        return obj.station_id

    list_display = ["number", "kind", "station", "status", "address"]
    list_filter = ["station", "kind", "status"]
    list_select_related = ["station", "address__community"]
    search_fields = ["number"]
    raw_id_fields = ["address"]
    inlines = [MemberInline]


@admin.register(Person)
class PersonAdmin(AccessLoggedAdmin, NoDeleteAdmin):
    def access_log_persons(self, obj):
        return [obj]

    list_display = ["name", "id_number_masked", "sex", "birth_date", "household", "relationship", "status"]
    list_filter = ["status", "sex", "household__station"]
    list_select_related = ["household"]
    search_fields = ["name", "name_pinyin", "=id_number", "household__number"]
    raw_id_fields = ["household", "father", "mother"]

    @admin.display(description=_("resident ID number"), ordering="id_number")
    def id_number_masked(self, obj):
        return obj.masked_id_number


@admin.register(Guardianship)
class GuardianshipAdmin(NoDeleteAdmin):
    list_display = ["child", "guardian", "relationship", "has_custody", "valid_from", "valid_until"]
    raw_id_fields = ["child", "guardian"]


@admin.register(BusinessType)
class BusinessTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "effect", "certificate", "time_limit_working_days", "is_active"]


class TransitionInline(admin.TabularInline):
    model = CaseTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(NoDeleteAdmin):
    list_display = ["number", "business_type", "station", "status", "received_by", "due_on"]
    list_filter = ["station", "business_type", "status"]
    search_fields = ["number", "applicant_name"]
    raw_id_fields = ["household", "person", "received_by", "approved_by"]
    inlines = [TransitionInline]


@admin.register(ChangeEvent)
class ChangeEventAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    def access_log_persons(self, obj):
        return [obj.person]

    list_display = ["id", "kind", "person", "household", "case", "occurred_at"]
    list_filter = ["kind"]
    list_select_related = ["person", "household", "case"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "station", "action", "target", "purpose", "ip_address"]
    list_filter = ["action", "station"]
    list_select_related = ["user", "station"]


@admin.register(DuplicateSuspect)
class DuplicateSuspectAdmin(ReadOnlyAdmin):
    """Decided by approvers on their screens and the API (the decision may cancel a person)."""

    list_display = ["person", "suspected_of", "reason", "status", "decided_by", "decided_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["person", "suspected_of", "decided_by"]


@admin.register(IdCardApplication)
class IdCardApplicationAdmin(ReadOnlyAdmin):
    list_display = ["case", "photo_taken", "fingerprint_taken", "fee_paid", "ready_at", "collected_at"]
    list_select_related = ["case"]


@admin.register(ArchivePage)
class ArchivePageAdmin(ReadOnlyAdmin):
    """Append-only: pages are added at the window, never changed or removed here."""

    list_display = ["title", "person", "household", "case", "uploaded_by", "uploaded_at"]
    list_select_related = ["person", "household", "case", "uploaded_by"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Import jobs are written by the import service only; the admin shows them and their report."""

    list_display = [
        "pk",
        "original_name",
        "station",
        "created_by",
        "status",
        "total_rows",
        "imported_rows",
        "error_count",
    ]
    list_filter = ["status", "station"]
    list_select_related = ["station", "created_by"]


class CertificatePrintInline(admin.TabularInline):
    model = CertificatePrint
    extra = 0
    can_delete = False
    readonly_fields = ["printed_by", "printed_at", "collected_by_name", "collected_by_id_number", "id_checked", "fee"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    """Certificates are issued and revoked through the services only (locks, idempotency)."""

    def access_log_persons(self, obj):
        return [obj.person]

    def access_log_station(self, obj):
        return obj.station_id

    list_display = ["serial", "kind", "station", "status", "issued_on", "issued_by"]
    list_filter = ["station", "kind", "status"]
    search_fields = ["serial"]
    list_select_related = ["station", "issued_by"]
    exclude = ["token", "snapshot"]
    inlines = [CertificatePrintInline]


@admin.register(IssuedIdNumber)
class IssuedIdNumberAdmin(ReadOnlyAdmin):
    """Every number the registry issued; rows are never removed, so a number is never reissued."""

    list_display = ["number", "person", "station", "case", "issued_at", "replaced_at", "replaced_by"]
    list_filter = ["station"]
    list_select_related = ["person", "station", "case"]
    search_fields = ["number"]
