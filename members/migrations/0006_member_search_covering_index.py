"""A covering index for the officer's member search on PostgreSQL (benchmarks/README.md, "1 and 2").

It holds, for each cell's members, every column a search below the whole country tests, sorts by or returns
as a key (`common.pagination.capped_rows_and_total` reads the page's keys and the total first, then the page's
rows): the database tries a province's 200,000 members on the index alone, cell by cell, and reads the
table for one page of rows. PostgreSQL only: SQLite has no INCLUDE columns, and keeps the plain indexes.
"""

from django.db import migrations

INDEX = "member_unit_search_covering"


def create_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Keys: the cell (the scope's join) and the folded name (the name search and the order). Included: the key
    # returned, the digits searched, and the list's filters.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (unit_id, search_name) "
        "INCLUDE (id, phone, card_number, citizen_id, status, is_eligible)"
    )


def drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0005_quality_runs")]

    operations = [migrations.RunPython(create_covering_index, drop_covering_index)]
