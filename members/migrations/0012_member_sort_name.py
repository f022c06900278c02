"""Members ordered as Vietnamese rosters are (common.collation): a stored key the database orders and pages by.

The column is added empty, filled in batches of ids (a national registry is millions of rows: never read whole into
Python), and indexed once filled (building the index at the end is faster than keeping it up to date row by row).
"""

from django.db import migrations, models

from common.collation import person_name_collation_key

BATCH = 5000


def fill_sort_names(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    length = Member._meta.get_field("sort_name").max_length
    last_id = 0
    while True:
        batch = list(Member.objects.filter(id__gt=last_id).order_by("id").only("id", "full_name")[:BATCH])
        if not batch:
            return
        for member in batch:
            member.sort_name = person_name_collation_key(member.full_name)[:length]
        Member.objects.bulk_update(batch, ["sort_name"], batch_size=1000)
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_import_problems_duplicates_cell_edits"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="member",
            name="sort_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.AlterModelOptions(
            name="member",
            options={
                "ordering": ["sort_name", "id"],
                "verbose_name": "party member",
                "verbose_name_plural": "party members",
            },
        ),
    ]
