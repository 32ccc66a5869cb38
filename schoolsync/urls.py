from django.urls import path

from schoolsync.views import school

app_name = "schoolsync"

urlpatterns = [
    path("", school.school_home, name="school_home"),
]
