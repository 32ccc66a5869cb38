"""documents' answers to appointments' materials extension point
(``appointments.selectors.materials``), registered in ``DocumentsConfig.ready()``.

- A booking's holder sees their own application's items with verdicts and a link to it; without
  an application, the business type's checklist (items everyone brings) and buttons to start one
  for this visit or tie an open one.
- Station staff see the application tied to a ticket's booking, with a link to the review screen.
- Finishing such a ticket receives the case from the application (``application_receive_from_ticket``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from appointments.selectors.materials import MaterialLine, MaterialsPanel, PanelAction
from common.roles import has_role
from documents.models import ApplicationItem
from documents.policy import STATION_STAFF, WINDOW, may_see_application
from documents.selectors import application_of_booking, applications_to_tie, checklist_items_always


def _lines(application) -> list[MaterialLine]:
    return [
        MaterialLine(
            name=owed.item.name,
            state=owed.status,
            state_label=str(owed.get_status_display()),
            reason=owed.reason if owed.status != ApplicationItem.Status.PASSED else "",
            is_core=owed.item.is_core,
        )
        for owed in application.items.all()
    ]


def _summary(application) -> str:
    items = list(application.items.all())
    if application.answered_at is None:
        return _("Pre-review started: answer the questions to get your list.")
    passed = sum(1 for owed in items if owed.status == ApplicationItem.Status.PASSED)
    return _("Online pre-review: %(passed)s of %(total)s materials passed · %(status)s") % {
        "passed": passed,
        "total": len(items),
        "status": application.get_status_display(),
    }


class DocumentsMaterials:
    """The provider object (see the protocol in ``appointments.selectors.materials``)."""

    def for_booking(self, *, booking, user):
        if user is None or booking.account_id != user.pk:
            return None
        application = application_of_booking(booking_id=booking.pk)
        if application is not None:
            return MaterialsPanel(
                lines=_lines(application),
                source="application",
                summary=_summary(application),
                link=PanelAction(
                    label=_("Continue the pre-review for this visit"),
                    url=reverse("documents:application", args=[application.pk]),
                    testid="application-link",
                ),
            )
        checklist, always, more = checklist_items_always(business_type=booking.business_type)
        if checklist is None:
            return None
        actions = []
        if booking.is_active:
            actions.append(
                PanelAction(
                    label=_("Start the pre-review for this visit"),
                    url=reverse("documents:visit_start", args=[booking.code]),
                    method="post",
                    testid="start-prereview",
                )
            )
            for candidate in applications_to_tie(user=user, booking=booking):
                actions.append(
                    PanelAction(
                        label=_("Use my pre-review started on %(day)s")
                        % {"day": candidate.created_at.strftime("%Y-%m-%d")},
                        url=reverse("documents:visit_tie", args=[booking.code]),
                        method="post",
                        fields=(("application", str(candidate.pk)),),
                        testid=f"tie-{candidate.pk}",
                    )
                )
        summary = _("%(title)s: what everyone brings.") % {"title": checklist.title}
        if more:
            summary += " " + _("%(n)s more depend on your situation: check them online before the visit.") % {"n": more}
        lines = [MaterialLine(name=item.name, is_core=item.is_core) for item in always]
        return MaterialsPanel(lines=lines, source="checklist", summary=summary, actions=actions)

    def for_ticket(self, *, ticket, user):
        if not ticket.booking_id:
            return None
        application = application_of_booking(booking_id=ticket.booking_id)
        if application is None or not may_see_application(user, application):
            return None
        link = None
        if has_role(user, *STATION_STAFF):
            link = PanelAction(
                label=_("Open the materials review"),
                url=reverse("documents:review", args=[application.pk]),
                testid="review-link",
            )
        return MaterialsPanel(lines=_lines(application), source="application", summary=_summary(application), link=link)

    def case_receive_action(self, *, ticket, user):
        if not ticket.booking_id or ticket.case_id or not has_role(user, *WINDOW):
            return None
        application = application_of_booking(booking_id=ticket.booking_id)
        if application is None or not may_see_application(user, application) or application.answered_at is None:
            return None
        label = (
            _("Receive the case from the online application")
            if application.case_id is None
            else _("Link case %(number)s to this ticket") % {"number": application.case.number}
        )
        return PanelAction(label=label, url=reverse("documents:ticket_receive", args=[ticket.pk]), method="post")


provider = DocumentsMaterials()
