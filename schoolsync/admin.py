from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from schoolsync import admin_delivery  # noqa: F401  (registers the delivery admin)
from schoolsync.models import School


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "district", "phone"]
    search_fields = ["code", "name"]
