from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityClaim, User
from common.admin import AccessLoggedAdmin, ReadOnlyAdmin


@admin.register(User)
class HukouUserAdmin(AccessLoggedAdmin, UserAdmin):
    """Users carry ID numbers and phone numbers: lists and rows are access-logged under the
    user's station."""

    def access_log_station(self, obj):
        return obj.station_id

    list_display = ["username", "real_name", "role", "station", "school", "mobile", "is_active"]
    list_filter = ["role", "station", "school", "is_active"]
    search_fields = ["username", "real_name", "mobile"]
    list_select_related = ["station", "school"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Role and organisation"), {"fields": ("role", "station", "school", "mobile", "real_name", "id_number")}),
        (
            _("Identity verification"),
            {"fields": ("mobile_verified_at", "identity_verified_at", "identity_method", "identity_checked_by")},
        ),
    )
    readonly_fields = ["mobile_verified_at", "identity_verified_at", "identity_method", "identity_checked_by"]
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and organisation"), {"fields": ("role", "station", "school", "mobile", "real_name")}),
    )


@admin.register(IdentityClaim)
class IdentityClaimAdmin(ReadOnlyAdmin):
    """Claims are decided on the station screen (recorded and access-logged), not edited here."""

    list_display = ["id_number_masked", "claimant", "holder", "station", "status", "created_at", "decided_by"]
    list_filter = ["status", "station"]
    list_select_related = ["claimant", "holder", "station", "decided_by"]
    exclude = ["id_number"]

    @admin.display(description=_("resident ID number"))
    def id_number_masked(self, obj):
        return obj.masked_id_number
