"""After accept-with-missing: online supplements let the case proceed; the registry's guard;
reminders before the deadline and the parent told when the case lapses."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.notifications import NotificationError, notification_send
from common.workdays import add_working_days
from documents.models import Application, ApplicationItem, Reminder
from hukou.models import Case
from hukou.services.cases import case_supplement_received_online

logger = logging.getLogger("documents")
HELD_ACTIONS = {"submit_for_review", "complete", "approve", "supplement_received"}


def core_materials_guard(*, case, action: str):
    """Registered with hukou's case guards (documents.apps): a case received from an online
    application may not move on while any core item has not passed. One query."""
    if action not in HELD_ACTIONS:
        return None
    pending = ApplicationItem.objects.filter(application__case_id=case.pk, item__is_core=True).exclude(
        status=ApplicationItem.Status.PASSED
    )
    if pending.exists():
        return _("The core materials of the online application have not all passed pre-review.")
    return None


def all_items_passed(application: Application) -> bool:
    return not application.items.exclude(status=ApplicationItem.Status.PASSED).exists()


def application_supplement_check(*, application_id: int) -> bool:
    """If the application awaits supplements and every item has now passed, the case goes on
    without a second trip (``case_supplement_received_online``) and the parent is told.
    Returns True when it did. Safe to call any number of times."""
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None or application.status != Application.Status.AWAITING_SUPPLEMENT:
            return False
        if application.case_id is None or not all_items_passed(application):
            return False
        try:
            case_supplement_received_online(
                case_id=application.case_id, note=_("Every missing material was supplied online and passed.")
            )
        except ValidationError as refused:
            logger.info("online supplement of application %s refused: %s", application_id, refused)
            return False
        application.status = Application.Status.PROCEEDING
        application.save(update_fields=["status", "updated_at"])
        mobile, number = application.applicant_phone, application.case.number
    _tell(mobile, _("Your supplements for case %(number)s passed; no second visit is needed.") % {"number": number})
    return True


def _tell(mobile: str, text: str, purpose: str = "materials") -> None:
    if not mobile:
        return
    try:
        notification_send(mobile=mobile, text=text, purpose=purpose)
    except NotificationError:
        logger.warning("notification to the applicant failed", exc_info=True)


def _once(application: Application, kind: str) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.create(application=application, kind=kind)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today=None) -> dict[str, int]:
    """Reminds applicants whose supplement deadline is the next working day (once each), and
    tells those whose case the registry lapsed (once each). Idempotent: a Reminder row per
    application and kind, won before the message is sent."""
    today = today or timezone.localdate()
    tomorrow = add_working_days(today, 1)
    sent = {"reminded": 0, "lapsed": 0}
    waiting = Application.objects.filter(status=Application.Status.AWAITING_SUPPLEMENT).select_related("case")
    for application in waiting:
        case = application.case
        if case.status == Case.Status.LAPSED:
            Application.objects.filter(pk=application.pk).update(status=Application.Status.LAPSED)
            if _once(application, "lapsed"):
                _tell(
                    application.applicant_phone,
                    _("Case %(number)s has ended: %(reason)s") % {"number": case.number, "reason": case.outcome_reason},
                )
                sent["lapsed"] += 1
        elif (
            case.supplement_due_on
            and case.supplement_due_on <= tomorrow
            and _once(application, f"due:{case.supplement_due_on}")
        ):
            _tell(
                application.applicant_phone,
                _("Reminder: upload the missing materials for case %(number)s by %(date)s, or the case ends.")
                % {"number": case.number, "date": case.supplement_due_on.isoformat()},
            )
            sent["reminded"] += 1
    return sent
