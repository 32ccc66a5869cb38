from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.admin import AccessLoggedAdmin


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
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and organisation"), {"fields": ("role", "station", "school", "mobile", "real_name")}),
    )
