"""Indexes that let a person search read its first page in display order (issue 13).

``(name COLLATE "C", birth_date, id)`` and the same for ``name_pinyin``: the search filters a
prefix as a range on the C-collated expression and orders by the same expression, so PostgreSQL
walks the index from the prefix and stops after the rows shown, instead of sorting every match
(10,000 persons for one surname character at a million persons). The expressions must match
``hukou.selectors.registry._codepoint`` exactly.

PostgreSQL only, built CONCURRENTLY (no write lock on a live registry); SQLite compares by
codepoint already and is small. ``INCLUDE (household_id)`` lets the household search read the
households of the first matching persons from the index alone (an index-only scan).
"""

from django.db import migrations

INDEXES = {
    "hukou_person_name_c_order": '(name COLLATE "C"), birth_date, id) INCLUDE (household_id',
    "hukou_person_pinyin_c_order": '(name_pinyin COLLATE "C"), birth_date, id) INCLUDE (household_id',
}


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON hukou_person ({columns})")


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("hukou", "0009_case_status_sent_back")]

    operations = [migrations.RunPython(_create, _drop)]
