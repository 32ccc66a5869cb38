from django.urls import path

from hukou.views import certificates

app_name = "verify"

urlpatterns = [path("<str:token>/", certificates.certificate_verify, name="certificate")]
