from django.urls import path

from documents.views import files, guide, parent, visits, window

app_name = "documents"

urlpatterns = [
    path("guide/", guide.guide_index, name="guide_index"),
    path("guide/<slug:code>/", guide.guide_detail, name="guide_detail"),
    path("samples/<int:item_id>.png", guide.item_sample, name="item_sample"),
    path("", parent.my_applications, name="my_applications"),
    path("new/", parent.application_new, name="application_new"),
    path("a/<int:pk>/", parent.application_page, name="application"),
    path("a/<int:pk>/questions/", parent.questions, name="questions"),
    path("a/<int:pk>/status.json", parent.application_status, name="application_status"),
    path("a/<int:pk>/items/<int:item_id>/upload/", parent.item_upload, name="item_upload"),
    path("a/<int:pk>/commitment/", parent.commitment_sign, name="commitment"),
    path("a/<int:pk>/notice/", parent.notice_new, name="notice_new"),
    path("a/<int:pk>/notice/v<int:version>/", files.notice_page, name="notice"),
    path("a/<int:pk>/notice/v<int:version>.pdf", files.notice_pdf, name="notice_pdf"),
    path("a/<int:pk>/visit/", visits.visit_book, name="visit_book"),
    path("a/<int:pk>/visit/booked/", visits.visit_return, name="visit_return"),
    path("visit/<str:code>/start/", visits.visit_start, name="visit_start"),
    path("visit/<str:code>/tie/", visits.visit_tie, name="visit_tie"),
    path("window/tickets/<int:ticket_id>/receive/", visits.ticket_receive, name="ticket_receive"),
    path("files/<int:pk>/<slug:variant>/", files.upload_file, name="upload_file"),
    path("station/", window.station_list, name="station_list"),
    path("review/<int:pk>/", window.review, name="review"),
    path("review/<int:pk>/receive/", window.receive, name="receive"),
    path("review/<int:pk>/accept-with-missing/", window.accept_with_missing, name="accept_with_missing"),
    path("review/<int:pk>/notice/", window.notice_new, name="window_notice_new"),
    path("review/<int:pk>/override/", window.override, name="override"),
    path("review/<int:pk>/beyond-notice/", window.beyond_notice, name="beyond_notice"),
]
