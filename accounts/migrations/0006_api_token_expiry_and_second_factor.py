import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def expire_old_tokens(apps, schema_editor):
    """Tokens issued before expiry existed get the lifetime from their creation: the oldest stop at once."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=F("created_at") + lifetime)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_device_pin")]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="second_factor", field=models.BooleanField(default=False)
        ),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
