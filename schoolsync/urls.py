from django.urls import path

from schoolsync import views

app_name = "schoolsync"

urlpatterns = [
    path("", views.school_home, name="school_home"),
]
