"""Writes on the household registry: households, persons, heads and guardians.

Every service here:
- owns its transaction and locks the household row (then the person row) with
  ``select_for_update`` before reading what it checks, so checks and writes see the same state;
- refuses a save based on an old ``expected_version`` with ``StaleVersion`` (checked under the
  lock, so two clerks can never both win);
- raises ``ValidationError`` with a Chinese message and a ``code`` for bad input, having written
  nothing;
- records who, when, which case and why in the history (django-simple-history change reason),
  and writes one ``ChangeEvent`` per change a school could care about, in the same transaction.

Nothing is ever deleted: persons end (moved out, deceased, cancelled) and may be restored.
"""

from hukou.services.registry._shared import CORRECTABLE, ENDED
from hukou.services.registry.duplicates import duplicate_suspect_decide
from hukou.services.registry.guardianships import guardianship_end, guardianship_set
from hukou.services.registry.households import household_change_head, household_create, household_update
from hukou.services.registry.persons import (
    person_correct,
    person_data_check,
    person_end,
    person_move_in,
    person_move_out,
    person_refuse_inactive,
    person_register_birth,
    person_restore,
)

__all__ = [
    "CORRECTABLE",
    "ENDED",
    "duplicate_suspect_decide",
    "guardianship_end",
    "guardianship_set",
    "household_change_head",
    "household_create",
    "household_update",
    "person_correct",
    "person_data_check",
    "person_end",
    "person_move_in",
    "person_move_out",
    "person_refuse_inactive",
    "person_register_birth",
    "person_restore",
]
