"""What to bring on a booking, and the materials state a clerk sees on a ticket.

**Extension point.** appointments never imports documents (nor does the registry). An app that
owns materials (documents, the materials pre-review) registers a provider with
``materials_provider_register`` in its ``AppConfig.ready()``; the booking confirmation and slip,
the clerk's check-in desk, the window console and "finish → receive a case" then ask the
providers first. With no provider (documents not installed) or when none answers, a booking
shows the starter list below and a ticket shows nothing extra, so appointments works alone.

A provider is any object with these methods (each may return ``None`` = "nothing to say"):

- ``for_booking(*, booking, user) -> MaterialsPanel | None``: what the booking's holder sees;
- ``for_ticket(*, ticket, user) -> MaterialsPanel | None``: what station staff see at check-in
  and at the window (the provider checks that ``user`` may see it);
- ``case_receive_action(*, ticket, user) -> PanelAction | None``: a POST that receives the
  case from the provider's own data (replacing the pre-filled receive form).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

COMMON = [_("Resident ID card of the applicant"), _("Household register booklet (户口簿)")]
BY_CODE = {
    "birth": [_("Birth medical certificate (出生医学证明)"), _("Parents' marriage certificate")],
    "move_in": [_("Migration certificate or proof of housing"), _("Recent photo")],
    "id_card": [_("Recent photo (or take one at the window)")],
    "school_certificate": [_("The child's household register page"), _("Proof of residence at the address")],
}


@dataclass(frozen=True)
class MaterialLine:
    """One material. ``state`` is empty for a plain "bring this" line; otherwise the provider's
    verdict code (``passed``, ``missing``, ``failed``, ``pending``, ``needs_person``) with its
    label and, for a failure, the reason."""

    name: str
    state: str = ""
    state_label: str = ""
    reason: str = ""
    is_core: bool = False


@dataclass(frozen=True)
class PanelAction:
    """A link (``method="get"``) or a one-button form (``method="post"``, with CSRF token and
    optional hidden ``fields``)."""

    label: str
    url: str
    method: str = "get"
    fields: tuple[tuple[str, str], ...] = ()
    testid: str = ""


@dataclass(frozen=True)
class MaterialsPanel:
    lines: list[MaterialLine]
    source: str = "starter"  # "starter", or the provider's own word ("checklist", "application")
    summary: str = ""
    link: PanelAction | None = None
    actions: list[PanelAction] = field(default_factory=list)


_providers: list = []


def materials_provider_register(provider) -> None:
    """Called by a higher app in ``AppConfig.ready()``; registering twice is harmless."""
    if provider not in _providers:
        _providers.append(provider)


def materials_providers() -> list:
    return list(_providers)


def materials_for(*, business_code: str) -> list[str]:
    """The starter list (used when no provider answers)."""
    return [*COMMON, *BY_CODE.get(business_code, [])]


def _ask(method: str, **kwargs):
    for provider in _providers:
        answer = getattr(provider, method, None)
        result = answer(**kwargs) if answer else None
        if result is not None:
            return result
    return None


def materials_for_booking(*, booking, user) -> MaterialsPanel:
    """What to bring for ``booking`` as its holder sees it: a provider's panel, else the starter
    list of the business type."""
    panel = _ask("for_booking", booking=booking, user=user)
    if panel is not None:
        return panel
    lines = [MaterialLine(name=str(name)) for name in materials_for(business_code=booking.business_type.code)]
    return MaterialsPanel(lines=lines)


def materials_for_ticket(*, ticket, user) -> MaterialsPanel | None:
    """The materials state station staff see for ``ticket`` (check-in desk, console); ``None``
    when no provider knows anything about it."""
    if ticket is None:
        return None
    return _ask("for_ticket", ticket=ticket, user=user)


def ticket_case_receive_action(*, ticket, user) -> PanelAction | None:
    """A provider's "receive the case from what we already hold" step for a finished ticket."""
    return _ask("case_receive_action", ticket=ticket, user=user)
