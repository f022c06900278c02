"""The commit's applied mark moves from each import row (`is_applied`) to the job (`applied_through`): the rows
are applied in the order of their ids, so the last applied row's id says which are applied."""

from django.db import migrations, models
from django.db.models import Max


def mark_from_rows(apps, schema_editor):
    ImportJob = apps.get_model("members", "ImportJob")
    ImportRow = apps.get_model("members", "ImportRow")
    applied = ImportRow.objects.filter(is_applied=True).values("job_id").annotate(last=Max("id"))
    for found in applied:
        ImportJob.objects.filter(pk=found["job_id"]).update(applied_through=found["last"])


def flags_from_mark(apps, schema_editor):
    ImportJob = apps.get_model("members", "ImportJob")
    ImportRow = apps.get_model("members", "ImportRow")
    for job_id, through in ImportJob.objects.filter(applied_through__gt=0).values_list("pk", "applied_through"):
        ImportRow.objects.filter(job_id=job_id, kind__in=["new", "changed"], pk__lte=through).update(is_applied=True)


class Migration(migrations.Migration):
    dependencies = [("members", "0013_member_name_order_covering_index")]

    operations = [
        migrations.AddField(
            model_name="importjob", name="applied_through", field=models.PositiveBigIntegerField(default=0)
        ),
        migrations.RunPython(mark_from_rows, flags_from_mark),
        migrations.RemoveField(model_name="importrow", name="is_applied"),
    ]
