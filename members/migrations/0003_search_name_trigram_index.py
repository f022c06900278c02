"""A trigram index for the name search on PostgreSQL: `search_name LIKE '%words%'` finds its rows through it
instead of reading every member in the officer's scope. SQLite has no such index and keeps the plain one."""

from django.db import migrations

INDEX = "member_search_name_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member USING gin (search_name gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_roster_import")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
