"""The templates the product ships: valid as they stand, and what the new template's page starts from."""

from django.urls import reverse

from reports.choices import FieldKind
from reports.fields import clean_fields
from reports.models import ReportTemplate
from reports.presets import PRESETS, ROLLOUT_RESULTS


def test_every_preset_is_a_valid_template():
    for preset in PRESETS.values():
        assert clean_fields(preset.fields), preset.code


def test_the_rollout_preset_asks_what_the_prescribed_report_asks():
    keys = {field["key"] for field in ROLLOUT_RESULTS.fields}
    assert {"members", "app_installed", "activated", "help_sessions", "records_verified", "corrections_applied"} <= keys
    assert {"help_place_village_meeting", "help_place_mass_org", "help_team_community_digital_team"} <= keys
    typed = [field for field in ROLLOUT_RESULTS.fields if field["kind"] != FieldKind.INDICATOR]
    assert [field["key"] for field in typed] == ["records_updated", "no_smartphone", "difficulties"]


def test_the_officer_starts_from_the_preset_and_saves_it_as_the_units_own(officer_a, tree):
    listing = officer_a.get(reverse("reports:templates"))
    assert f"{reverse('reports:template_create')}?preset=rollout" in listing.text

    page = officer_a.get(reverse("reports:template_create") + "?preset=rollout")
    form = page.context["form"]
    assert form.initial["code"] == "HT-SOTAY-XA"
    fields = ("code", "title", "indicators", "manual_fields", "body", "recipients", "signer_title")
    data = {name: form.initial[name] for name in fields}
    response = officer_a.post(reverse("reports:template_create"), {**data, "unit": tree.commune_a.pk})

    template = ReportTemplate.objects.get(code="HT-SOTAY-XA")
    assert response.status_code == 302
    indicator_keys = [field["key"] for field in ROLLOUT_RESULTS.fields if field["kind"] == FieldKind.INDICATOR]
    assert sorted(field["key"] for field in template.fields if field["kind"] == FieldKind.INDICATOR) == sorted(
        indicator_keys
    )
    assert [field["label"] for field in template.fields if field["kind"] != FieldKind.INDICATOR] == [
        "Số đảng viên được cập nhật thông tin",
        "Số đảng viên chưa có điện thoại thông minh",
        "Khó khăn, vướng mắc, kiến nghị",
    ]
    assert (template.recipients, template.signer_title) == (ROLLOUT_RESULTS.recipients, ROLLOUT_RESULTS.signer_title)


def test_an_unknown_preset_gives_the_empty_form(officer_a, tree):
    page = officer_a.get(reverse("reports:template_create") + "?preset=nothing")

    assert page.status_code == 200 and not page.context["form"].initial
