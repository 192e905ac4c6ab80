"""Name search at scale: on PostgreSQL a trigram (pg_trgm) GIN index serves the registry's
`name__icontains` (Django's `UPPER(name) LIKE UPPER('%...%')`), so searching 60,000 people does not
read every row. SQLite has no such index type: there the migration does nothing and the same query
runs as a scan (fine at one college's size). The search itself is the same on both databases."""

from django.db import migrations

INDEX = "people_person_name_upper_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin (UPPER(name) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_org_scoped_model")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
