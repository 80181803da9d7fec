"""The database refuses overlapping memberships of one person.

PostgreSQL: an exclusion constraint on (person, daterange) — needs btree_gist, a trusted
extension any database owner may create. SQLite has no exclusion constraints, so two
triggers abort an INSERT or UPDATE that would overlap. Ranges are half-open
[valid_from, valid_to); an empty valid_to is open-ended.
"""

from django.db import migrations

SQLITE_CHECK = """
CREATE TRIGGER org_membership_no_overlap_{event}
BEFORE {event} ON org_membership
WHEN EXISTS (
    SELECT 1 FROM org_membership AS other
    WHERE other.person_id = NEW.person_id
      AND other.id IS NOT NEW.id
      AND other.valid_from < COALESCE(NEW.valid_to, '9999-12-31')
      AND NEW.valid_from < COALESCE(other.valid_to, '9999-12-31')
)
BEGIN
    SELECT RAISE(ABORT, 'membership_no_overlap: overlapping memberships of one person');
END;
"""

POSTGRES_ADD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE org_membership ADD CONSTRAINT membership_no_overlap
    EXCLUDE USING gist (person_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&);
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(SQLITE_CHECK.format(event=event))
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_ADD)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS org_membership_no_overlap_{event}")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE org_membership DROP CONSTRAINT IF EXISTS membership_no_overlap"
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
