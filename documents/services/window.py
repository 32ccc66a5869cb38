"""At the window: the clerk turns an application into a case without retyping it, accepts it with
the missing non-core items from the one-time notice, and overrides automatic verdicts (with a
reason, recorded)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.validators import validate_plain_text
from documents.models import Application, ApplicationItem, AuditPoint, Upload, Verdict
from documents.services.notices import notice_issue
from documents.services.prereview import item_status_of
from documents.services.supplements import application_supplement_check
from hukou.models import Case
from hukou.services.cases import case_accept_with_missing, case_receive


def _visible(actor, application_id: int) -> Application:
    application = (
        Application.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("checklist__business_type", "child__household")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise ValidationError(_("No such application."), code="not_found")
    return application


@transaction.atomic
def application_to_case(*, actor, application_id: int, note: str = "") -> Case:
    """受理 from the application's own data (applicant, child, answers): one case per
    application, under the application's row lock; the registry's rules for receiving apply."""
    application = _visible(actor, application_id)
    if application.case_id is not None:
        raise ValidationError(_("This application is already a case."), code="already_case")
    if not application.answered_at:
        raise ValidationError(_("The applicant has not answered the questions yet."), code="not_answered")
    case = case_receive(
        actor=actor,
        business_type=application.checklist.business_type,
        applicant_name=application.applicant_name,
        applicant_id_number=application.applicant_id_number,
        applicant_phone=application.applicant_phone,
        person=application.child,
        payload={"materials_application": application.pk, "answers": application.answers},
        note=note or _("Received from online application %(id)s") % {"id": application.pk},
    )
    application.case, application.status = case, Application.Status.RECEIVED
    application.save(update_fields=["case", "status", "updated_at"])
    return case


def application_accept_with_missing(*, actor, application_id: int) -> Case:
    """容缺受理: only when every core item passed and the applicant acknowledged the commitment;
    the missing items are exactly the non-core items on the one-time notice, issued now."""
    with transaction.atomic():
        application = _visible(actor, application_id)
        if application.case_id is None or application.status != Application.Status.RECEIVED:
            raise ValidationError(_("Receive the application as a case first."), code="not_received")
        core_open = application.items.filter(item__is_core=True).exclude(status=ApplicationItem.Status.PASSED)
        if core_open.exists():
            raise ValidationError(
                _("Every core (★) material must pass before accepting with missing items."), code="core_missing"
            )
        if application.commitment_signed_at is None:
            raise ValidationError(
                _("The applicant has not acknowledged the written commitment (承诺书) yet."), code="no_commitment"
            )
    notice = notice_issue(application_id=application_id, actor=actor)
    missing = [entry["name"] for entry in notice.items if not entry["is_core"]]
    if not missing:
        raise ValidationError(_("Nothing is missing; the case can go on as it is."), code="nothing_missing")
    with transaction.atomic():
        application = _visible(actor, application_id)
        case = case_accept_with_missing(
            actor=actor,
            case_id=application.case_id,
            missing_items=missing,
            note=_("One-time notice v%(version)s: %(items)s")
            % {"version": notice.version, "items": "、".join(missing)},
        )
        application.status = Application.Status.AWAITING_SUPPLEMENT
        application.save(update_fields=["status", "updated_at"])
    return case


def verdict_override(*, actor, upload_id: int, audit_point_code: str, result: str, reason: str) -> Verdict:
    """A clerk replaces an automatic verdict: a reason is required and the override is a new
    row (the automatic one stays for the record). The item's status is recomputed from the
    latest verdict of each point; an application awaiting supplements may then proceed."""
    if result not in Verdict.Result.values:
        raise ValidationError(_("Choose pass, fail or needs a person."), code="result_required")
    reason = validate_plain_text(reason, max_length=500, multiline=True)  # no RTL override, zero-width, formula
    if not reason:
        raise ValidationError(_("An override needs a reason; it is recorded."), code="reason_required")
    with transaction.atomic():
        upload = (
            Upload.objects.select_for_update()
            .filter(pk=upload_id, application__in=Application.objects.visible_to(actor))
            .first()
        )
        if upload is None:
            raise ValidationError(_("No such upload."), code="not_found")
        point = AuditPoint.objects.filter(code=audit_point_code).first()
        if point is None or not upload.verdicts.filter(audit_point=point).exists():
            raise ValidationError(_("This audit point does not apply to the upload."), code="point_required")
        verdict = Verdict.objects.create(
            upload=upload,
            audit_point=point,
            result=result,
            reason=reason.strip(),
            source=Verdict.Source.CLERK,
            decided_by=actor,
        )
        latest = {}
        for row in upload.verdicts.select_related("audit_point").order_by("decided_at", "id"):
            latest[row.audit_point_id] = (row.audit_point.check_kind, row.result, row.reason)
        item = ApplicationItem.objects.select_for_update().get(pk=upload.application_item_id)
        if upload.is_current:
            item.status, item.reason = item_status_of(list(latest.values()))
            item.overridden = True
            item.save(update_fields=["status", "reason", "overridden"])
    application_supplement_check(application_id=upload.application_id)
    return verdict
