"""On phones: a village's filer fills in and submits; the commune officer opens the table, accepts, compiles."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from orgunits.choices import AreaKind, UnitKind
from reports.choices import SubmissionState, TargetTree
from reports.models import Submission

from .factories import make_campaign, make_template

pytestmark = pytest.mark.browser


def test_a_village_files_and_the_commune_accepts_and_compiles_its_report_on_phones(live_server, tree, phones):
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="officer_hn")
    template = make_template(unit=tree.province)
    province = make_campaign(
        unit=tree.province, template=template, target_kind=UnitKind.COMMUNE_COMMITTEE, actor=province_officer
    )
    villages = make_campaign(
        unit=tree.commune_a,
        template=template,
        target_tree=TargetTree.AREAS,
        target_kind=AreaKind.VILLAGE,
        actor=tree.users["officer_a"],
        parent=province,
        deadline=timezone.localdate() + datetime.timedelta(days=2),
    )
    village_report = villages.submissions.get(target_area=tree.village_a1)
    commune_report = province.submissions.get(target_unit=tree.commune_a)

    # The village cell's secretary finds the report to file and submits it.
    page = phones(live_server.url, "secretary_a1")
    page.goto(f"{live_server.url}/reports/")
    page.click(f"a[href='/reports/submissions/{village_report.pk}/']")
    page.fill("input[name=households]", "6")
    page.fill("textarea[name=difficulties]", "Nhiều đảng viên cao tuổi không có điện thoại thông minh")
    page.click("button[name=action][value=submit]")
    expect(page.locator(".report-state-submitted")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling on a phone"
    village_report.refresh_from_db()
    assert village_report.state == SubmissionState.SUBMITTED

    # The commune officer opens the campaign's table, the village's report, and accepts it.
    page = phones(live_server.url, "officer_a")
    page.goto(f"{live_server.url}/reports/campaigns/{villages.pk}/")
    expect(page.locator(".report-table")).to_contain_text("Thôn 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the wide table scrolls inside its box"
    page.click(f".report-table a[href='/reports/submissions/{village_report.pk}/']")
    page.click("button[name=accept]")
    expect(page.locator(".messages")).to_be_visible()
    village_report.refresh_from_db()
    assert village_report.state == SubmissionState.ACCEPTED

    # Then compiles the commune's own report to the province in one click.
    page.goto(f"{live_server.url}/reports/campaigns/{villages.pk}/")
    page.click(f"a[href='/reports/submissions/{commune_report.pk}/']")
    page.click("button[name=compile]")
    expect(page.locator("input[name=households]")).to_have_value("6")
    compiled = Submission.objects.get(pk=commune_report.pk)
    assert compiled.values["households"] == {"value": 6}
    assert compiled.compiled_at is not None
