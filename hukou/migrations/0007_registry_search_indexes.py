"""Indexes for the clerk's search on PostgreSQL: name prefix (varchar_pattern_ops, as Django
makes for indexed CharFields; the database collation is not "C", so a plain btree cannot serve
LIKE 'x%') and road "contains" (trigram). Without them a search scans a million persons.

PostgreSQL only (pg_trgm is a trusted extension: the database owner may create it); the
embedded SQLite scans, which is fine at its size.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS hukou_person_name_like ON hukou_person (name varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS hukou_address_road_trgm ON hukou_address USING gin (road gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS hukou_person_name_like;
DROP INDEX IF EXISTS hukou_address_road_trgm;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("hukou", "0006_importjob")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
