"""A parent starts an application, answers the questions once, and the items are fixed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import Role
from documents.models import Application, ApplicationItem, Checklist
from hukou.models import BusinessType, Station
from hukou.selectors.parents import parent_child_or_none


def checklist_in_force(*, business_type: BusinessType, day=None) -> Checklist:
    """The latest checklist version effective on ``day`` (today by default)."""
    day = day or timezone.localdate()
    checklist = Checklist.objects.effective_on(day).filter(business_type=business_type).order_by("-version").first()
    if checklist is None:
        raise ValidationError(_("No materials checklist is in force for this business."), code="no_checklist")
    return checklist


@transaction.atomic
def application_start(
    *, user, business_type_code: str, child_id: int | None = None, station_id: int | None = None
) -> Application:
    """Starts a draft for a parent. With ``child_id`` the child must be the parent's own (the
    registry's parent selector decides) and the station is the child's; otherwise the parent
    names the station. Raises ``ValidationError`` with a Chinese message, writing nothing."""
    if getattr(user, "role", None) != Role.PARENT:
        raise ValidationError(_("Only parents start applications online."), code="not_parent")
    business_type = BusinessType.objects.filter(code=business_type_code, is_active=True).first()
    if business_type is None:
        raise ValidationError(_("Choose a business."), code="business_required")
    child = None
    if child_id is not None:
        child = parent_child_or_none(user=user, person_id=child_id)
        if child is None:
            raise ValidationError(_("This child is not registered as yours."), code="not_your_child")
        station = child.household.station
    else:
        station = Station.objects.filter(pk=station_id).first() if station_id else None
        if station is None:
            raise ValidationError(_("Choose a police station."), code="station_required")
    return Application.objects.create(
        station=station,
        applicant=user,
        applicant_name=user.real_name or user.username,
        applicant_id_number=user.id_number or "",
        applicant_phone=getattr(user, "mobile", "") or "",
        checklist=checklist_in_force(business_type=business_type),
        child=child,
    )


def _owned_draft(*, user, application_id: int) -> Application:
    application = Application.objects.select_for_update().filter(pk=application_id, applicant=user).first()
    if application is None:
        raise ValidationError(_("No such application."), code="not_found")
    return application


@transaction.atomic
def application_answer(*, user, application_id: int, answers: dict[str, bool]) -> Application:
    """Records every answer at once and computes the items owed from them, in one go (the
    guided interview's point: everything can be said at once). Answers can be changed only
    while nothing has been uploaded; items that no longer apply are removed then."""
    application = _owned_draft(user=user, application_id=application_id)
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("The application has been received; answers can no longer change."), code="locked")
    if application.uploads.exists():
        raise ValidationError(_("Photos have been uploaded; answers can no longer change."), code="locked")
    codes = set(application.checklist.questions.values_list("code", flat=True))
    unknown = set(answers) - codes
    if unknown:
        raise ValidationError(_("Unknown question."), code="unknown_question")
    clean = {code: bool(answers.get(code, False)) for code in sorted(codes)}
    application.answers, application.answered_at = clean, timezone.now()
    application.save(update_fields=["answers", "answered_at", "updated_at"])
    application.items.all().delete()
    wanted = [item for item in application.checklist.items.all() if item.applies(clean)]
    ApplicationItem.objects.bulk_create(
        ApplicationItem(application=application, item=item, order=item.order) for item in wanted
    )
    return application


@transaction.atomic
def application_commitment_sign(*, user, application_id: int) -> Application:
    """The applicant acknowledges the written commitment (承诺书) to supply the missing
    non-core items by the deadline; the clerk cannot accept with missing items without it."""
    application = Application.objects.select_for_update().filter(pk=application_id, applicant=user).first()
    if application is None:
        raise ValidationError(_("No such application."), code="not_found")
    if application.commitment_signed_at is None:
        application.commitment_signed_at = timezone.now()
        application.save(update_fields=["commitment_signed_at", "updated_at"])
    return application


@transaction.atomic
def application_start_answered(
    *,
    user,
    business_type_code: str,
    child_id: int | None = None,
    station_id: int | None = None,
    answers: dict[str, bool] | None = None,
) -> Application:
    """``application_start`` and, with ``answers``, ``application_answer`` in one transaction
    (the API's create): a refused answer leaves no draft behind."""
    application = application_start(
        user=user, business_type_code=business_type_code, child_id=child_id, station_id=station_id
    )
    if answers is not None:
        application = application_answer(user=user, application_id=application.pk, answers=answers)
    return application
