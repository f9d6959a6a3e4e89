"""On PostgreSQL, the database refuses UPDATE on release-log entries, and DELETE
except inside the retention purge's transaction, which says so with
``SET LOCAL accdesk.purge = 'on'`` (``EntryQuerySet._purge``). Defence in depth
beside the app's checks (CJISSECPOL v5.9.5 AU-9; 11 CCR §707(c) retention)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION accdesk_releaselog_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('accdesk.purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ACC Desk: % on % is refused: release-log entries are never '
        'changed, and removed only by the retention purge', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER accdesk_releaselog_append_only
    BEFORE UPDATE OR DELETE ON releaselogs_releaselogentry
    FOR EACH ROW EXECUTE FUNCTION accdesk_releaselog_guard();
"""
DROP = """
DROP TRIGGER IF EXISTS accdesk_releaselog_append_only ON releaselogs_releaselogentry;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("releaselogs", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
