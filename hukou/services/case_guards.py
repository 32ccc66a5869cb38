"""The extension point through which another app can hold a case: "this case may not proceed yet".

hukou imports none of the apps above it, so it cannot ask, say, the materials pre-review whether
a case's core materials have passed. Instead such an app registers a guard once, in its
``AppConfig.ready``::

    from hukou.services.case_guards import case_guard_register

    def core_materials_passed(*, case, action):
        if action in {"submit_for_review", "complete", "approve"} and not _core_items_passed(case):
            return _("The core materials have not passed pre-review yet.")
        return None

    case_guard_register(core_materials_passed)

Every case transition that moves a case forward calls ``case_guards_check`` under the case's row
lock, after its own checks. A guard returns ``None`` to let the case go on, or a Chinese sentence
that tells the clerk why not; the transition then raises a ``ValidationError`` with code
``held`` and writes nothing. Guards must only read (they run inside the transition's
transaction) and must be cheap: one or two queries.

Actions passed as ``action``: ``submit_for_review``, ``complete``, ``approve``,
``supplement_received``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

CaseGuard = Callable[..., "str | None"]

_guards: list[CaseGuard] = []


def case_guard_register(guard: CaseGuard) -> CaseGuard:
    """Adds ``guard`` (called as ``guard(case=..., action=...)``); registering twice is a no-op,
    so a ``ready()`` that runs again in tests does not double it. Returns the guard (usable as a
    decorator)."""
    if guard not in _guards:
        _guards.append(guard)
    return guard


def case_guard_unregister(guard: CaseGuard) -> None:
    if guard in _guards:
        _guards.remove(guard)


def case_guards_check(*, case, action: str) -> None:
    """Raises ``ValidationError(code="held")`` with every guard's reason when any guard holds
    the case; returns quietly otherwise."""
    reasons = [reason for guard in _guards if (reason := guard(case=case, action=action))]
    if reasons:
        raise ValidationError(" ".join(str(reason) for reason in reasons), code="held")
