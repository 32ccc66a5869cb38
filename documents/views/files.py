"""Uploaded files and notice PDFs, only through these views: permission checked, access logged,
served with safe headers by common.uploads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from common.http import client_address
from common.uploads import private_file_response
from documents.models import Notice, Upload
from documents.policy import may_see_application
from hukou.models import AccessLog
from hukou.services.access import access_log_record

PURPOSE = "材料预审"


@login_required
def upload_file(request, pk: int, variant: str):
    upload = Upload.objects.select_related("application").filter(pk=pk).first()
    if upload is None or not may_see_application(request.user, upload.application):
        raise Http404
    names = {"file": upload.file_name, "thumb": upload.thumbnail_name, "preview": upload.image_name}
    name = names.get(variant)
    if not name:
        raise Http404
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"upload:{upload.pk}",
        purpose=PURPOSE,
        person=upload.application.child,
        station_id=upload.application.station_id,
    )
    content_type = upload.content_type if variant == "file" else "image/jpeg"
    if variant == "preview" and name == upload.file_name:
        content_type = upload.content_type
    extension = {"image/png": "png", "application/pdf": "pdf"}.get(content_type, "jpg")
    return private_file_response(name=name, content_type=content_type, filename=f"material-{upload.pk}.{extension}")


def _notice(request, pk: int, version: int) -> Notice:
    notice = (
        Notice.objects.select_related("application__station", "application__checklist")
        .filter(application_id=pk, version=version)
        .first()
    )
    if notice is None or not may_see_application(request.user, notice.application):
        raise Http404
    return notice


@login_required
def notice_page(request, pk: int, version: int):
    notice = _notice(request, pk, version)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"notice:{notice.pk}",
        purpose=PURPOSE,
        person=notice.application.child,
        station_id=notice.application.station_id,
    )
    return render(request, "documents/notice_detail.html", {"notice": notice, "application": notice.application})


@login_required
def notice_pdf(request, pk: int, version: int):
    notice = _notice(request, pk, version)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.PRINT,
        target=f"notice:{notice.pk}",
        purpose=PURPOSE,
        person=notice.application.child,
        station_id=notice.application.station_id,
    )
    return private_file_response(
        name=notice.pdf_name, content_type="application/pdf", filename=f"一次性告知单-{pk}-v{version}.pdf"
    )
