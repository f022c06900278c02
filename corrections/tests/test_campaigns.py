"""The "confirm your place of activity" campaign."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.choices import ChangeAction
from audit.models import ChangeLog
from corrections.campaigns import campaign_answer, campaign_create, campaign_progress, open_campaigns_for
from corrections.choices import RequestState, Section
from corrections.models import CampaignAnswer, SectionVerification
from members.tests.factories import make_member


@pytest.fixture
def campaign(tree):
    today = timezone.localdate()
    return campaign_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        title="Xác nhận nơi sinh hoạt 2026",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )


def test_a_yes_confirms_the_cell_and_verifies_the_place_of_activity(tree, campaign):
    answer = campaign_answer(actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1)

    assert (answer.is_confirmed, answer.unit) == (True, tree.cell_a1)
    assert SectionVerification.objects.get().section == Section.PLACE_OF_ACTIVITY


def test_an_answer_naming_another_cell_becomes_a_correction_request(tree, campaign):
    answer = campaign_answer(
        actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1, cell=tree.cell_a2, reason="Đã chuyển"
    )

    assert answer.is_confirmed is False
    assert answer.correction_request.field_name == "unit"
    assert answer.correction_request.state == RequestState.SUBMITTED
    assert answer.correction_request.assigned_unit == tree.commune_a


def test_a_member_answers_a_campaign_once(tree, campaign):
    campaign_answer(actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1)

    with pytest.raises(ValidationError):
        campaign_answer(actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1)


def test_a_campaign_does_not_reach_members_of_another_commune(tree, campaign):
    from accounts.choices import RoleKind
    from accounts.tests.factories import make_user

    member_b = make_user(role=RoleKind.MEMBER, unit=tree.cell_b1, username="mb1", member=tree.member_b1)

    assert open_campaigns_for(tree.member_b1) == []
    with pytest.raises(PermissionDenied):
        campaign_answer(actor=member_b, campaign=campaign, member=tree.member_b1)


def test_a_closed_campaign_refuses_answers(tree, campaign):
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()

    with pytest.raises(ValidationError):
        campaign_answer(actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1)


def test_the_progress_shows_the_confirmed_share_per_cell(tree, campaign):
    campaign_answer(actor=tree.users["member_a1"], campaign=campaign, member=tree.member_a1)
    make_member(unit=tree.cell_a1)

    rows = {row["unit"].code: row for row in campaign_progress(campaign, actor=tree.users["officer_a"])}

    assert (rows["XA-C1"]["members"], rows["XA-C1"]["confirmed"], rows["XA-C1"]["confirmed_share"]) == (2, 1, 0.5)
    assert rows["XA-C2"]["confirmed"] == 0


def test_the_progress_takes_the_same_queries_however_many_answers(tree, campaign):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            campaign_progress(campaign, actor=tree.users["officer_a"])
        return len(captured)

    queries()  # the officer's roles are read once, then kept on the user
    before = queries()
    for _ in range(5):
        member = make_member(unit=tree.cell_a2)
        campaign_answer(actor=tree.users["officer_a"], campaign=campaign, member=member)

    assert queries() == before


def test_the_member_answers_from_their_record_page(tree, campaign):
    client = Client()
    client.force_login(tree.users["member_a1"])
    page = client.get(reverse("corrections:my_record")).content.decode()
    assert "Xác nhận nơi sinh hoạt 2026" in page

    client.post(
        reverse("corrections:campaign_answer", args=[campaign.pk, tree.member_a1.pk]),
        {"answer": "yes", f"campaign-{campaign.pk}-cell": tree.cell_a1.pk},
    )

    assert CampaignAnswer.objects.get().is_confirmed is True
    assert "Xác nhận nơi sinh hoạt 2026" not in client.get(reverse("corrections:my_record")).content.decode()


def test_the_progress_lists_the_units_in_vietnamese_order(tree, campaign):
    from orgunits.tests.factories import make_unit

    for name in ["Chi bộ thôn 10", "Chi bộ Đồng Xa", "Chi bộ thôn 9", "Chi bộ Dương Nội"]:
        make_unit(parent=tree.commune_a, name=name)

    names = [row["unit"].name for row in campaign_progress(campaign, actor=tree.users["officer_a"])]
    mine = [name for name in names if name.startswith(("Chi bộ thôn", "Chi bộ D", "Chi bộ Đ"))]

    assert mine == [
        "Chi bộ Dương Nội",
        "Chi bộ Đồng Xa",
        "Chi bộ thôn 1",
        "Chi bộ thôn 2",
        "Chi bộ thôn 9",
        "Chi bộ thôn 10",
    ]


def test_opening_a_campaign_writes_its_creation_to_the_change_log(tree, campaign):
    entry = ChangeLog.objects.for_object(campaign).get()

    assert (entry.action, entry.actor, entry.unit) == (ChangeAction.CREATE, tree.users["officer_a"], tree.commune_a)
    assert entry.prechange_data is None
    assert entry.postchange_data["title"] == "Xác nhận nơi sinh hoạt 2026"


def test_a_campaign_refused_for_lack_of_permission_writes_nothing(tree):
    count = ChangeLog.objects.count()
    today = timezone.localdate()

    with pytest.raises(PermissionDenied):
        campaign_create(
            actor=tree.users["officer_b"],
            unit=tree.commune_a,
            title="Không được phép",
            starts_on=today,
            ends_on=today,
        )

    assert ChangeLog.objects.count() == count
