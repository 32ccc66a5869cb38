from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from appointments.models import Window


@admin.register(Window)
class WindowAdmin(SimpleHistoryAdmin):
    list_display = ["station", "number", "name", "kind", "is_open"]
    list_filter = ["station", "kind", "is_open"]
