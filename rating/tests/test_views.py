import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.tests.api import api_client
from rating.choices import Grade, Stage
from rating.models import MemberRating, RatingCampaign

from .factories import REVIEW, issue

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def own_row(tree, campaign) -> MemberRating:
    return MemberRating.objects.get(campaign=campaign, member=tree.member_a1)


def test_a_committee_officer_issues_the_rating_from_the_page(tree):
    officer = client_of(tree.users["officer_a"])
    response = officer.post(
        "/rating/issue/",
        {
            "unit": "XA",
            "year": "2026",
            "self_review_due": "2026-12-10",
            "decision_due": "2026-12-20",
            "excellent_quota_percent": "20",
        },
    )

    campaign = RatingCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rating/campaigns/{campaign.pk}/"
    assert MemberRating.objects.filter(campaign=campaign).count() == 2


def test_the_member_sees_their_ratings_and_files_the_self_review_on_the_page(tree):
    campaign = issue(tree)
    member = client_of(tree.users["member_a1"])
    rating = own_row(tree, campaign)

    assert f"/rating/{rating.pk}/" in member.get("/rating/").content.decode()
    page = member.get(f"/rating/{rating.pk}/")
    assert page.status_code == 200 and 'name="points"' in page.content.decode()

    refused = member.post(
        "/rating/self-review/", {"rating": rating.pk, **REVIEW, "points": "75", "self_grade": "excellent"}
    )
    assert refused.status_code == 400 and "75" in refused.content.decode()

    response = member.post(
        "/rating/self-review/", {"rating": rating.pk, **REVIEW, "points": "75", "self_grade": "good"}
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.stage, rating.points, rating.self_grade) == (Stage.SELF_REVIEWED, 75, Grade.GOOD)


def test_nobody_files_another_members_self_review(tree):
    campaign = issue(tree)
    other = MemberRating.objects.get(campaign=campaign, member=tree.member_a2)
    for user in ("member_a1", "officer_b"):
        response = client_of(tree.users[user]).post(
            "/rating/self-review/", {"rating": other.pk, **REVIEW, "points": "75", "self_grade": "good"}
        )
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.stage == Stage.WAITING


def test_the_campaign_page_drills_down_and_the_export_is_logged(tree):
    campaign = issue(tree)
    officer = client_of(tree.users["officer_a"])

    page = officer.get(f"/rating/campaigns/{campaign.pk}/").content.decode()
    assert "Chi bộ thôn 1" in page and "Nguyễn Văn An" in page
    cell = officer.get(f"/rating/campaigns/{campaign.pk}/?unit=XA-C2").content.decode()
    assert "Trần Thị Bình" in cell and "Nguyễn Văn An" not in cell
    assert officer.get(f"/rating/campaigns/{campaign.pk}/?unit=XB").status_code == 404

    response = officer.get(f"/rating/campaigns/{campaign.pk}/export.xlsx?unit=XA")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Nguyễn Văn An" in names and "Trần Thị Bình" in names
    assert ChangeLog.objects.filter(action=ChangeAction.EXPORT, unit=tree.commune_a).count() == 1
    docx = officer.get(f"/rating/campaigns/{campaign.pk}/export.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_api_lists_own_ratings_files_the_review_and_gives_results(tree):
    campaign = issue(tree)
    rating = own_row(tree, campaign)
    member = api_client(tree.users["member_a1"])

    assert [row["id"] for row in member.get("/api/rating/mine").json()] == [rating.pk]
    response = member.post(
        "/api/rating/self-review",
        {"rating_id": rating.pk, **REVIEW, "points": 91, "self_grade": "excellent"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["stage"] == Stage.SELF_REVIEWED

    other = MemberRating.objects.get(campaign=campaign, member=tree.member_a2)
    refused = member.post(
        "/api/rating/self-review",
        {"rating_id": other.pk, **REVIEW, "points": 91, "self_grade": "excellent"},
        content_type="application/json",
    )
    assert refused.status_code == 404

    results = api_client(tree.users["officer_a"]).get(f"/api/rating/campaigns/{campaign.pk}/results").json()
    assert (results["rows"], results["waiting"], results["self_reviewed"]) == (2, 1, 1)


def test_the_secretary_records_a_paper_self_review_on_the_page(tree):
    campaign = issue(tree)
    rating = own_row(tree, campaign)
    secretary = client_of(tree.users["secretary_a1"])

    assert 'name="points"' in secretary.get(f"/rating/{rating.pk}/").content.decode()
    response = secretary.post(
        "/rating/self-review/", {"rating": rating.pk, **REVIEW, "points": "60", "self_grade": "completed"}
    )

    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.stage, rating.self_grade) == (Stage.SELF_REVIEWED, Grade.COMPLETED)
