from django.contrib.auth.views import LogoutView
from django.urls import path

from accounts import views, views_station

app_name = "accounts"

urlpatterns = [
    path("login/", views.HukouLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("start/", views.start, name="start"),
    path("me/", views.parent_home, name="parent_home"),
    path("me/certificates/<int:pk>/", views.parent_certificate_download, name="parent_certificate"),
    path("station/identity/", views_station.identity_window, name="identity_window"),
    path("station/identity/claims/<int:pk>/", views_station.identity_claim_decide, name="identity_claim_decide"),
]
