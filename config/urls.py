from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import MeApi, TokenObtainApi, TokenRevokeApi
from accounts.views import home, login_guarded
from common.views import healthz
from hukou.urls import verify_urlpatterns

admin.site.site_header = _("户籍e窗 administration")
admin.site.site_title = _("户籍e窗")
admin.site.index_title = _("System administration")

api_v1 = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/logout/", TokenRevokeApi.as_view(), name="api-logout"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("hukou.api.urls")),
    path("", include("schoolsync.api.urls")),
    path("appointments/", include("appointments.api.urls")),
    path("documents/", include("documents.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("hukou/", include("hukou.urls")),
    path("school/", include("schoolsync.urls")),
    path("appointments/", include("appointments.urls")),
    path("documents/", include("documents.urls")),
    path("verify/", include(verify_urlpatterns)),
    path("api/v1/", include(api_v1)),
    # The superuser's door counts failed logins like the main login page (before admin's own URL).
    path("admin/login/", login_guarded(admin.site.login)),
    path("admin/", admin.site.urls),
]

# Uploaded files (scanned archives, import files) are personal data: they are served only by
# views that check the user's station and write the access log, never as public media.

handler400 = "common.views.bad_request"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
