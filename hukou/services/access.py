"""The personal-data access log. Writing is the only operation it supports.

One helper for every view, search, lookup, print and export: callers name the row they showed
(``subject``) and the service derives the target key and the person from it, so no caller
builds a target string for a registry row. Searches and lookups, which have no row, pass their
terms as ``target``; any ID number in it is masked here, once, before it is stored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from common.idnumber import mask_id_number
from hukou.models import AccessLog, ArchivePage, Certificate, Household, Person

if TYPE_CHECKING:
    from hukou.policy import Actor

# An ID number typed into a search must not be kept in full in a log that can never be edited.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def access_target(subject) -> str:
    """The log's key of a row: ``person:12``, ``household:3``, ``case:7``, ``archive:5``,
    ``certificate:<serial>``; ``<model>:<pk>`` for anything else."""
    if isinstance(subject, Certificate):
        return f"certificate:{subject.serial}"
    if isinstance(subject, ArchivePage):
        return f"archive:{subject.pk}"
    return f"{subject._meta.model_name}:{subject.pk}"


def _person_id_of(subject) -> int | None:
    if isinstance(subject, Person):
        return subject.pk
    if isinstance(subject, Household):
        return None
    return getattr(subject, "person_id", None)


def access_log_record(
    *,
    actor: Actor,
    action: str,
    purpose: str,
    subject=None,
    aspect: str = "",
    target: str = "",
    person: Person | None = None,
    client_address: str | None = None,
) -> AccessLog:
    """Append an access-log entry for a view, search, lookup, print or export of personal data.

    ``subject``: the row shown (its key and person are derived; ``aspect`` is appended to the
    key, e.g. ``timeline``). Without a row, ``target`` says what was asked (search terms, masked
    here). ``client_address`` is the caller's peer address, where there is one."""
    if subject is not None:
        target = access_target(subject) + (f":{aspect}" if aspect else "")
    person_id = person.pk if person is not None else (_person_id_of(subject) if subject is not None else None)
    return AccessLog.objects.create(
        user=actor,
        station_id=getattr(actor, "station_id", None),
        action=action,
        target=_ID_NUMBER.sub(lambda match: mask_id_number(match.group().upper()), target)[:255],
        person_id=person_id,
        purpose=purpose[:128],
        ip_address=client_address,
    )
