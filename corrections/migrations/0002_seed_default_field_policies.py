"""The default routing by authority (phân cấp); administrators may change it afterwards."""

from django.db import migrations

# Frozen here: later changes to corrections.policy.DEFAULT_ROUTES must not change what this migration did.
DEFAULT_ROUTES = {
    "phone": "member",
    "email": "member",
    "current_residence": "member",
    **{
        field: "cell_then_commune"
        for field in (
            "full_name",
            "birth_name",
            "sex",
            "date_of_birth",
            "hometown",
            "ethnicity",
            "religion",
            "citizen_id",
            "education",
            "political_theory",
            "professional_qualification",
            "foreign_language",
            "occupation_before_joining",
            "occupation",
            "position",
            "residence_area",
        )
    },
    "unit": "commune",
    "joined_on": "commune_then_province",
    "official_on": "commune_then_province",
    "card_number": "commune_then_province",
    "background_file_number": "commune_then_province",
}


def seed(apps, schema_editor):
    FieldPolicy = apps.get_model("corrections", "FieldPolicy")
    for field_name, route in DEFAULT_ROUTES.items():
        FieldPolicy.objects.get_or_create(
            field_name=field_name, defaults={"route": route, "deadline_working_days": 10}
        )


def unseed(apps, schema_editor):
    FieldPolicy = apps.get_model("corrections", "FieldPolicy")
    FieldPolicy.objects.filter(field_name__in=list(DEFAULT_ROUTES)).delete()


class Migration(migrations.Migration):
    dependencies = [("corrections", "0001_correction_requests_verifications_policy")]

    operations = [migrations.RunPython(seed, unseed)]
