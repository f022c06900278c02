"""A covering index in the registry's order for member lists across the whole country on PostgreSQL (issue 27,
central search; benchmarks/README.md, "1 and 2").

A list of more members than the count's cap (the whole country, or a search across it that matches more than
10,000 names) reads its page by walking the members in name order, (sort_name, id), and stops after the page:
`common.pagination.capped_rows_and_total`. The index holds every column such a walk tests (the cell for the
scope, the folded name and the digits searched, the list's filters), so that the walk runs on the index alone
and reads the table for the page's rows only; the plain index on sort_name has no id to break ties between
namesakes, and sends every member it walks past to the table. PostgreSQL only: SQLite has no INCLUDE columns, and
keeps the plain index.
"""

from django.db import migrations

INDEX = "member_name_order_covering"


def create_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (sort_name, id) "
        "INCLUDE (unit_id, search_name, phone, card_number, citizen_id, status, is_eligible)"
    )


def drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0012_member_sort_name")]

    operations = [migrations.RunPython(create_covering_index, drop_covering_index)]
