"""The pages: templates, issuing, the campaign table with totals and missing reports, filing with an override."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate as today

from common.tests.clients import english_client
from orgunits.choices import AreaKind, UnitKind
from reports import services
from reports.choices import SubmissionState
from reports.models import Campaign, ReportTemplate

from .factories import make_campaign, make_template


def signed_in(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["reports:template_create", "reports:campaign_create"])
def test_the_issuing_unit_is_picked_by_typing_its_name_or_code(officer_a, tree, page):
    html = officer_a.get(reverse(page)).content.decode()

    assert '<select name="unit"' not in html
    assert f'<option value="{tree.commune_a.code}">' in html


def test_a_template_is_created_for_the_unit_whose_code_was_typed(officer_a, tree):
    officer_a.post(
        reverse("reports:template_create"),
        {"unit": tree.commune_a.code, "code": "BC-MA", "title": "Báo cáo", "indicators": ["members"]},
    )

    assert ReportTemplate.objects.get(code="BC-MA").unit == tree.commune_a


def test_an_officer_creates_a_template_from_indicators_and_hand_filled_fields(officer_a, tree):
    response = officer_a.post(
        reverse("reports:template_create"),
        {
            "unit": tree.commune_a.pk,
            "code": "BC-XA",
            "title": "Báo cáo Sổ tay",
            "indicators": ["members", "activated", "eligible", "activated_percent_of_eligible"],
            "manual_fields": "number: Số hộ\nchoice: Đánh giá = Tốt; Khá; Trung bình\ntext: Khó khăn",
            "place": "Xã A",
            "recipients": "Đảng ủy xã",
            "signer_title": "Bí thư",
        },
    )

    template = ReportTemplate.objects.get(code="BC-XA")
    assert response.status_code == 302
    assert [field["key"] for field in template.fields] == [
        "members",
        "eligible",
        "activated",
        "activated_percent_of_eligible",
        "field_1",
        "field_2",
        "field_3",
    ]
    assert template.fields[5] == {
        "key": "field_2",
        "kind": "choice",
        "label": "Đánh giá",
        "options": ["Tốt", "Khá", "Trung bình"],
    }


def test_a_template_with_a_percentage_without_its_parts_shows_the_error(officer_a, tree):
    response = officer_a.post(
        reverse("reports:template_create"),
        {"unit": tree.commune_a.pk, "code": "BC-XA", "title": "x", "indicators": ["activated_percent_of_eligible"]},
    )
    assert response.status_code == 200
    assert "add them to the template too" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_a_cell_secretary_cannot_create_templates(tree):
    response = signed_in(tree.users["secretary_a1"]).get(reverse("reports:template_create"))
    assert response.status_code == 403


def test_issuing_from_the_page_and_the_table_lists_totals_and_missing(officer_a, tree):
    template = make_template(unit=tree.province)
    response = officer_a.post(
        reverse("reports:campaign_create"),
        {
            "unit": tree.commune_a.pk,
            "template": template.pk,
            "title": "Tháng 11",
            "target": "units:attached_cell",
            "period_start": today().replace(day=1),
            "period_end": today(),
            "cutoff_on": today(),
            "deadline": today() + datetime.timedelta(days=5),
            "remind_days_before": 2,
        },
    )
    campaign = Campaign.objects.get(title="Tháng 11")
    assert response.status_code == 302
    report = campaign.submissions.get(target_unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]
    services.submission_submit(
        actor=secretary,
        submission=services.submission_save(actor=secretary, submission=report, values={"households": 9}),
    )

    page = officer_a.get(reverse("reports:campaign", args=[campaign.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Total (reports filed)" in text
    missing = text.split("Not filed yet")[1].split("Timeliness")[0]
    assert "Chi bộ thôn 2" in missing and "Chi bộ thôn 1" not in missing


def test_the_campaign_table_takes_a_fixed_number_of_queries(officer_a, tree, django_assert_max_num_queries):
    template = make_template(unit=tree.province)
    campaign = make_campaign(unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL)
    with django_assert_max_num_queries(25):
        officer_a.get(reverse("reports:campaign", args=[campaign.pk]))


def test_a_filer_overrides_a_figure_with_a_note_and_submits(tree):
    template = make_template(unit=tree.province)
    campaign = make_campaign(unit=tree.commune_a, template=template, target_tree="areas", target_kind=AreaKind.VILLAGE)
    report = campaign.submissions.get()
    client = signed_in(tree.users["secretary_a1"])
    url = reverse("reports:submission_save", args=[report.pk])
    data = {
        "members": "2",
        "eligible": "",
        "activated": "",
        "households": "3",
        "difficulties": "",
        "action": "submit",
        "number_symbol": "",
        "place": "",
        "signer_name": "",
    }

    refused = client.post(url, data)
    assert refused.status_code == 200 and "say why the figure differs" in refused.content.decode()

    accepted = client.post(url, {**data, "members_note": "Thêm 2 người chuyển đến"})
    report.refresh_from_db()
    assert accepted.status_code == 302
    assert report.state == SubmissionState.SUBMITTED
    assert report.values["members"] == {"value": 2, "computed": 0, "note": "Thêm 2 người chuyển đến"}


def test_the_reviewer_returns_with_a_reason_shown_to_the_filer(officer_a, tree):
    template = make_template(unit=tree.province)
    campaign = make_campaign(unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL)
    report = campaign.submissions.get(target_unit=tree.cell_a1)
    secretary = tree.users["secretary_a1"]
    services.submission_submit(
        actor=secretary,
        submission=services.submission_save(actor=secretary, submission=report, values={"households": 9}),
    )

    officer_a.post(reverse("reports:submission_return", args=[report.pk]), {"reason": "Thiếu số hộ thôn 2"})

    page = signed_in(secretary).get(reverse("reports:submission", args=[report.pk])).content.decode()
    assert "Thiếu số hộ thôn 2" in page
    assert "Save draft" in page


def test_the_sibling_commune_sees_nothing(tree):
    template = make_template(unit=tree.commune_a, code="BC-XA")
    campaign = make_campaign(unit=tree.commune_a, template=template, target_kind=UnitKind.ATTACHED_CELL)
    client = signed_in(tree.users["officer_b"])
    assert client.get(reverse("reports:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("reports:submission", args=[campaign.submissions.first().pk])).status_code == 404
    assert client.get(reverse("reports:template", args=[template.pk])).status_code == 404


@pytest.mark.parametrize("username", ["secretary_a1", "officer_a"])
def test_the_navigation_shows_reports_to_those_who_file_or_manage(tree, username):
    page = signed_in(tree.users[username]).get(reverse("reports:home")).content.decode()
    assert f'href="{reverse("reports:home")}"' in page


def test_the_navigation_hides_reports_from_plain_members(tree):
    page = signed_in(tree.users["member_a1"]).get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("reports:home")}"' not in page


def test_a_campaign_to_the_villages_and_residential_groups_together_is_issued_from_the_page(officer_a, tree):
    from orgunits.tests.factories import make_area

    make_area(parent=tree.area_a, kind=AreaKind.RESIDENTIAL_GROUP, name="Tổ dân phố 1", code="AR-XA-TDP1")
    template = make_template(unit=tree.province)
    page = officer_a.get(reverse("reports:campaign_create"))
    assert 'value="areas:village_or_group"' in page.content.decode()

    officer_a.post(
        reverse("reports:campaign_create"),
        {
            "unit": tree.commune_a.pk,
            "template": template.pk,
            "title": "Thôn và tổ dân phố",
            "target": "areas:village_or_group",
            "period_start": today().replace(day=1),
            "period_end": today(),
            "cutoff_on": today(),
            "deadline": today() + datetime.timedelta(days=5),
            "remind_days_before": 2,
        },
    )

    campaign = Campaign.objects.get(title="Thôn và tổ dân phố")
    assert sorted(campaign.submissions.values_list("target_area__kind", flat=True)) == ["residential_group", "village"]
    table = officer_a.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "Tổ dân phố 1" in table
