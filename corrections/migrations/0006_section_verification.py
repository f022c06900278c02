# One name per concept: the rollout's RecordVerification is the whole record confirmed; this one is a section.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0005_text_length_caps"),
    ]

    operations = [
        migrations.RenameModel(old_name="RecordVerification", new_name="SectionVerification"),
        migrations.AlterModelOptions(
            name="sectionverification",
            options={
                "ordering": ["-verified_at", "-id"],
                "verbose_name": "section verification",
                "verbose_name_plural": "section verifications",
            },
        ),
    ]
