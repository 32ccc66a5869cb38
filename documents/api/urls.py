from django.urls import path

from documents.api import views

urlpatterns = [
    path("business-types/", views.BusinessTypeListApi.as_view(), name="api-documents-business-types"),
    path("business-types/<slug:code>/", views.BusinessTypeGuideApi.as_view(), name="api-documents-guide"),
    path("business-types/<slug:code>/checklist/", views.ChecklistComputeApi.as_view(), name="api-documents-checklist"),
    path("applications/", views.ApplicationListApi.as_view(), name="api-documents-applications"),
    path("applications/new/", views.ApplicationCreateApi.as_view(), name="api-documents-application-create"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="api-documents-application"),
    path("applications/<int:pk>/answers/", views.ApplicationAnswerApi.as_view(), name="api-documents-answers"),
    path(
        "applications/<int:pk>/items/<int:item_id>/upload/",
        views.ItemUploadApi.as_view(),
        name="api-documents-upload",
    ),
    path("applications/<int:pk>/notice/", views.NoticeApi.as_view(), name="api-documents-notice"),
    path("applications/<int:pk>/booking/", views.ApplicationTieApi.as_view(), name="api-documents-tie"),
]
