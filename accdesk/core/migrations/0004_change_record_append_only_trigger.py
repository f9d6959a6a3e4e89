"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the change
record (CJISSECPOL v5.9.5 AU-9), beside the app's own checks (``ChangeRecord.save``,
``ChangeRecordQuerySet``): a statement typed in psql, or a bug, cannot rewrite it.
SQLite has no such guard; SECURITY.md says how to check the trigger is there."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION accdesk_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ACC Desk: % on % is refused: the table is append-only '
        '(CJIS Security Policy AU-9)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER accdesk_changerecord_append_only
    BEFORE UPDATE OR DELETE ON core_changerecord
    FOR EACH ROW EXECUTE FUNCTION accdesk_refuse_change();
"""
DROP = """
DROP TRIGGER IF EXISTS accdesk_changerecord_append_only ON core_changerecord;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_chain_existing_change_records")]

    operations = [migrations.RunPython(forwards, backwards)]
