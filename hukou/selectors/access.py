"""Reading the personal-data access log (station admins: their station; system admins: all)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.text import mask_name
from hukou.models import AccessLog, Case, Household


def access_log_list(
    *,
    user,
    user_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLog]:
    """Entries the reader may see, newest first, narrowed by who, what and which days
    (``date_to`` inclusive). One query with the user joined."""
    entries = AccessLog.objects.visible_to(user).select_related("user", "person")
    if user_id:
        entries = entries.filter(user_id=user_id)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-pk")


def access_entries_described(entries) -> list[AccessLog]:
    """The entries, each with ``subject_text`` saying whom and what was seen, as a station admin
    reads it: the person's masked name, the case or household number, the certificate serial,
    the search terms (already masked). Two queries at most, however many entries."""
    entries = list(entries)
    keys = [entry.target.partition(":") for entry in entries]
    ids = {
        kind: {int(rest) for k, _sep, rest in keys if k == kind and rest.isdigit()} for kind in ("case", "household")
    }
    numbers = {
        "case": dict(Case.objects.filter(pk__in=ids["case"]).values_list("pk", "number")) if ids["case"] else {},
        "household": dict(Household.objects.filter(pk__in=ids["household"]).values_list("pk", "number"))
        if ids["household"]
        else {},
    }
    for entry, (kind, _sep, rest) in zip(entries, keys, strict=True):
        who = mask_name(entry.person.name) if entry.person is not None else ""
        entry.subject_text = " · ".join(part for part in (who, _what(kind, rest, numbers)) if part) or entry.target
    return entries


def _what(kind: str, rest: str, numbers: dict) -> str:
    if kind in numbers:
        number = numbers[kind].get(int(rest)) if rest.isdigit() else None
        label = _("case %(number)s") if kind == "case" else _("household %(number)s")
        return label % {"number": number} if number else ""
    if kind == "certificate":
        return _("certificate %(serial)s") % {"serial": rest}
    if kind == "archive":
        return _("archive page")
    if kind == "q":
        return _("search “%(terms)s”") % {"terms": rest}
    return ""
