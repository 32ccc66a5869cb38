"""The access log is append-only in the database itself, not only in Python: a trigger rejects
every UPDATE and DELETE on hukou_accesslog, whoever connects (admin shell, psql, a bug).

PostgreSQL only. TRUNCATE stays possible on purpose: test databases are flushed with it, and
only the database owner can run it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION hukou_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hukou_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS hukou_accesslog_append_only ON hukou_accesslog;
CREATE TRIGGER hukou_accesslog_append_only
    BEFORE UPDATE OR DELETE ON hukou_accesslog
    FOR EACH ROW EXECUTE FUNCTION hukou_accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS hukou_accesslog_append_only ON hukou_accesslog;
DROP FUNCTION IF EXISTS hukou_accesslog_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("hukou", "0004_change_event_previous_address")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
