"""The one-time notice (一次性告知单): computed from what is missing or failed, versioned, kept
as a PDF; later requests beyond it need a recorded reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.pdf import render_pdf
from common.uploads import private_storage, upload_discard
from common.validators import validate_plain_text
from common.workdays import add_working_days
from documents.models import Application, ApplicationItem, ChecklistItem, Notice, NoticeOverride
from hukou.services.cases import SUPPLEMENT_WORKING_DAYS


def notice_entries(application: Application) -> list[dict]:
    """Every item not (yet) passed, with why and how, core items first."""
    entries = []
    for owed in application.items.select_related("item").exclude(status=ApplicationItem.Status.PASSED):
        why = owed.reason or _("Not uploaded yet.")
        how = "；".join(part for part in (owed.item.how_to, owed.item.sample_text) if part)
        entries.append(
            {
                "code": owed.item.code,
                "name": owed.item.name,
                "is_core": owed.item.is_core,
                "status": owed.status,
                "status_label": str(owed.get_status_display()),
                "why": why,
                "how": how or _("Upload a clear photo of the original."),
            }
        )
    return sorted(entries, key=lambda entry: not entry["is_core"])


def _deadline(application: Application):
    if application.case_id and application.case.supplement_due_on:
        return application.case.supplement_due_on
    return add_working_days(timezone.localdate(), SUPPLEMENT_WORKING_DAYS)


def notice_context(*, application: Application, entries: list[dict], deadline, version: int) -> dict:
    station = application.station
    return {
        "application": application,
        "entries": entries,
        "deadline": deadline,
        "version": version,
        "legal_basis": application.checklist.legal_basis,
        "contact": {"name": station.name, "address": station.address, "phone": station.phone},
        "issued_on": timezone.localdate(),
    }


def notice_issue(*, application_id: int, actor=None) -> Notice:
    """Issues a new version when what is owed changed since the last one (otherwise returns the
    last); renders and keeps the PDF. The PDF is rendered outside the transaction on purpose
    (it takes a while), and deleted again if the row cannot be written."""
    application = Application.objects.select_related("station", "checklist", "case").get(pk=application_id)
    entries = notice_entries(application)
    latest = application.notices.first()
    if latest is not None and latest.items == entries:
        return latest
    version = (latest.version + 1) if latest else 1
    deadline = _deadline(application)
    context = notice_context(application=application, entries=entries, deadline=deadline, version=version)
    pdf = render_pdf("documents/notice_pdf.html", context)
    name = private_storage().save(f"documents/{application.pk}/notice-v{version}.pdf", ContentFile(pdf))
    try:
        with transaction.atomic():
            return Notice.objects.create(
                application=application,
                version=version,
                items=entries,
                deadline=deadline,
                legal_basis=context["legal_basis"],
                contact=context["contact"],
                pdf_name=name,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except Exception:
        upload_discard(names=[name])
        raise


@transaction.atomic
def notice_request_beyond(*, actor, application_id: int, item_id: int, reason: str) -> NoticeOverride:
    """A clerk asks for an item the notice did not name: refused without a reason; recorded
    (the station admin sees how often) and the item added to what the applicant owes."""
    application = Application.objects.visible_to(actor).select_for_update().filter(pk=application_id).first()
    if application is None:
        raise ValidationError(_("No such application."), code="not_found")
    notice = application.notices.first()
    if notice is None:
        raise ValidationError(_("No one-time notice has been issued yet."), code="no_notice")
    item = ChecklistItem.objects.filter(pk=item_id, checklist_id=application.checklist_id).first()
    if item is None:
        raise ValidationError(_("Choose a material of this checklist."), code="item_required")
    if item.code in notice.item_codes:
        raise ValidationError(_("The notice already names this material."), code="already_named")
    reason = validate_plain_text(reason, max_length=500, multiline=True)  # no RTL override, zero-width, formula
    if not reason.strip():
        raise ValidationError(
            _("Asking for a material the notice did not name needs a reason; it is recorded."), code="reason_required"
        )
    ApplicationItem.objects.get_or_create(application=application, item=item, defaults={"order": item.order})
    return NoticeOverride.objects.create(
        application=application, notice=notice, item=item, reason=reason.strip(), requested_by=actor
    )
