"""When a notice's fan-out finished, so that the publisher can start again one that stopped half-way.

Notices already sent count as fanned out when they were published: starting their fan-out again would put them in
the inboxes of people who joined since.
"""

from django.db import migrations, models
from django.db.models import F


def mark_sent_notices_fanned_out(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    Notice.objects.filter(published_at__isnull=False, fanned_out_at__isnull=True).update(
        fanned_out_at=F("published_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_notices_audiences_reads"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="fanned_out_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="put in every inbox at"),
        ),
        migrations.RunPython(mark_sent_notices_fanned_out, migrations.RunPython.noop),
    ]
