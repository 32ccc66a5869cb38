from django.urls import path

from schoolsync.views import school

app_name = "schoolsync"

urlpatterns = [
    path("", school.school_home, name="school_home"),
    path("lookup/", school.school_lookup, name="school_lookup"),
    path("notices/<int:event_id>/read/", school.notice_mark_read, name="notice_mark_read"),
]
