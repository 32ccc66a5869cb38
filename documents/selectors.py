"""Reads of the materials pre-review, each scoped to the user who asks."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from documents.models import (
    Application,
    ApplicationItem,
    Checklist,
    ChecklistItem,
    Notice,
    NoticeOverride,
    Upload,
    Verdict,
)
from documents.policy import VISIT_TIEABLE, may_see_application
from hukou.models import Case, CaseTransition


def guide_checklists():
    """Every checklist in force today, one per business type (the public 办事指南 index)."""
    today = timezone.localdate()
    latest = {}
    for checklist in Checklist.objects.effective_on(today).select_related("business_type").order_by("-version"):
        latest.setdefault(checklist.business_type_id, checklist)
    return sorted(latest.values(), key=lambda c: c.business_type.code)


def guide_checklist(*, code: str) -> Checklist:
    for checklist in guide_checklists():
        if checklist.business_type.code == code:
            return Checklist.objects.prefetch_related("questions", "items__audit_points").get(pk=checklist.pk)
    raise Http404


def sample_item(*, item_id: int) -> ChecklistItem:
    """A checklist item for its public sample image (a specimen holds no personal data)."""
    item = ChecklistItem.objects.prefetch_related("audit_points").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def applications_of_parent(*, user):
    return (
        Application.objects.of_applicant(user)
        .select_related("checklist", "child", "case")
        .annotate(open_items=Count("items", filter=~Q(items__status=ApplicationItem.Status.PASSED)))
    )


def _current_uploads():
    return Prefetch(
        "uploads",
        queryset=Upload.objects.filter(is_current=True).prefetch_related(
            Prefetch("verdicts", queryset=Verdict.objects.select_related("audit_point", "decided_by"))
        ),
        to_attr="current_uploads",
    )


def application_detail(*, user, application_id: int) -> Application:
    """One application with its items, current uploads and verdicts (4 queries), if the user may
    see it: the applicant, or staff of its station. 404 otherwise."""
    application = (
        Application.objects.select_related(
            "checklist__business_type", "child", "case", "station", "applicant", "booking__slot"
        )
        .prefetch_related(
            Prefetch(
                "items", queryset=ApplicationItem.objects.select_related("item").prefetch_related(_current_uploads())
            )
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or not may_see_application(user, application):
        raise Http404
    return application


def application_progress(*, application: Application) -> dict:
    """What the parent's page polls: each item's status and reason, and whether checks run."""
    items = [
        {
            "id": owed.pk,
            "status": owed.status,
            "label": str(owed.get_status_display()),
            "reason": owed.reason,
        }
        for owed in application.items.all()
    ]
    return {
        "status": application.status,
        "checking": any(item["status"] == ApplicationItem.Status.PENDING for item in items),
        "items": items,
    }


def station_applications(*, user):
    return (
        Application.objects.visible_to(user)
        .exclude(answered_at=None)
        .select_related("checklist", "case", "child")
        .annotate(open_items=Count("items", filter=~Q(items__status=ApplicationItem.Status.PASSED)))
        .order_by("-updated_at")[:100]
    )


def notice_latest(*, application: Application) -> Notice | None:
    return application.notices.first()


def station_counts(*, user) -> dict:
    """For the station admin: supplements completed online, trips per case (1 for the visit that
    received it plus each supplement brought to the window), and requests beyond a notice."""
    cases = Case.objects.visible_to(user).filter(material_application__isnull=False)
    supplements = CaseTransition.objects.filter(
        case__in=cases, from_status=Case.Status.AWAITING_SUPPLEMENT, to_status=Case.Status.RECEIVED
    )
    online = supplements.filter(actor__isnull=True).count()
    at_window = supplements.filter(actor__isnull=False).count()
    total = cases.count()
    return {
        "cases": total,
        "accepted_with_missing": CaseTransition.objects.filter(
            case__in=cases, to_status=Case.Status.AWAITING_SUPPLEMENT
        ).count(),
        "supplements_online": online,
        "supplements_at_window": at_window,
        "trips_per_case": round((total + at_window) / total, 2) if total else None,
        "requests_beyond_notice": NoticeOverride.objects.visible_to(user).count(),
    }


def application_of_booking(*, booking_id: int) -> Application | None:
    """The application tied to a booking, with its items (2 queries). Callers check who asks."""
    return (
        Application.objects.select_related("checklist__business_type", "case")
        .prefetch_related(Prefetch("items", queryset=ApplicationItem.objects.select_related("item")))
        .filter(booking_id=booking_id)
        .first()
    )


def applications_to_tie(*, user, booking) -> list[Application]:
    """The parent's open applications that could be tied to ``booking``: same business type,
    person and station, not tied to another active booking."""
    candidates = (
        Application.objects.of_applicant(user)
        .filter(
            checklist__business_type_id=booking.business_type_id,
            station_id=booking.station_id,
            child_id=booking.person_id,
            status__in=VISIT_TIEABLE,
        )
        .select_related("booking", "checklist")
        .order_by("-updated_at")
    )
    return [a for a in candidates if a.booking_id is None or a.booking.status not in a.booking.ACTIVE][:3]


def checklist_items_always(*, business_type) -> tuple[Checklist | None, list, int]:
    """The checklist in force for a business type, the items every applicant brings, and how
    many more depend on the answers (what a booking without an application shows)."""
    checklist = (
        Checklist.objects.effective_on(timezone.localdate())
        .filter(business_type=business_type)
        .order_by("-version")
        .first()
    )
    if checklist is None:
        return None, [], 0
    items = list(checklist.items.all())
    always = [item for item in items if not item.when]
    return checklist, always, len(items) - len(always)


def checklist_for_answers(*, code: str, answers: dict[str, bool]) -> tuple[Checklist, dict, list]:
    """The items a business type's checklist in force asks for, given the answers (nothing is
    written). Unknown question codes are refused, as when an application is answered."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    checklist = guide_checklist(code=code)
    codes = {question.code for question in checklist.questions.all()}
    if set(answers) - codes:
        raise ValidationError(
            {"answers": [_("Unknown question: %(codes)s") % {"codes": ", ".join(sorted(set(answers) - codes))}]},
            code="unknown_question",
        )
    clean = {question: bool(answers.get(question, False)) for question in sorted(codes)}
    return checklist, clean, [item for item in checklist.items.all() if item.applies(clean)]


def applications_for_api(*, user):
    """The parent's own applications, or the station's for its staff (newest first)."""
    from common.roles import Role

    base = Application.objects.of_applicant(user) if user.role == Role.PARENT else Application.objects.visible_to(user)
    return base.select_related("checklist__business_type", "child", "booking", "case").order_by("-created_at", "-id")
