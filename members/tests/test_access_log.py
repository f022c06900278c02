"""Who opened a member's full record, and who exported members: recorded, and shown to the unit's administrators."""

import pytest
from django.urls import reverse

from common.tests.api import api_client
from members.models import RecordAccess

pytestmark = pytest.mark.django_db


def test_opening_a_record_on_the_page_notes_who_whose_and_when(officer_a, tree):
    officer_a.get(reverse("members:detail", args=[tree.member_a1.pk]))

    entry = RecordAccess.objects.get()
    assert (entry.actor, entry.member, entry.unit, entry.source) == (
        tree.users["officer_a"],
        tree.member_a1,
        tree.member_a1.unit,
        "web",
    )
    assert entry.ip_address == "127.0.0.1"


def test_reading_a_record_through_the_api_and_the_corrections_page_is_noted_too(client, tree):
    api_client(tree.users["officer_a"]).get(f"/api/members/{tree.member_a1.pk}")
    client.force_login(tree.users["officer_a"])
    client.get(reverse("corrections:member_record", args=[tree.member_a1.pk]))

    assert list(RecordAccess.objects.order_by("id").values_list("source", "member")) == [
        ("api", tree.member_a1.pk),
        ("web", tree.member_a1.pk),
    ]


def test_a_member_reading_their_own_record_and_a_refused_reader_leave_no_entry(client, tree):
    client.force_login(tree.users["member_a1"])
    client.get(reverse("handbook:my_record"))
    client.get(reverse("corrections:my_record"))
    client.force_login(tree.users["officer_b"])
    assert client.get(reverse("members:detail", args=[tree.member_a1.pk])).status_code == 404

    assert not RecordAccess.objects.exists()


def test_the_units_administrator_sees_the_openings_and_exports_of_its_members(client, tree):
    client.force_login(tree.users["officer_a"])
    client.get(reverse("members:detail", args=[tree.member_a2.pk]))
    client.get(reverse("members:export_7hsdv", args=["XA"]) + "?purpose=Annual%20review")
    client.force_login(tree.users["admin_a"])

    response = client.get(reverse("members:access_log"))

    assert response.status_code == 200
    assert response.context["unit"] == tree.commune_a
    assert [entry.member for entry in response.context["openings"]] == [tree.member_a2]
    assert [entry.postchange_data["export"] for entry in response.context["exports"]] == ["7hsdv"]
    assert "officer_a" in response.content.decode()


def test_officers_without_the_permission_and_other_units_administrators_are_refused(client, tree):
    client.force_login(tree.users["officer_a"])
    client.get(reverse("members:detail", args=[tree.member_a1.pk]))

    assert client.get(reverse("members:access_log"), {"unit": "XA"}).status_code == 404
    assert client.get(reverse("members:access_log")).status_code == 403
    client.force_login(tree.users["officer_b"])
    assert client.get(reverse("members:access_log"), {"unit": "XA"}).status_code == 404


def test_an_administrator_of_another_commune_sees_none_of_commune_as_entries(client, tree):
    from accounts.choices import RoleKind
    from accounts.services import role_grant

    client.force_login(tree.users["officer_a"])
    client.get(reverse("members:detail", args=[tree.member_a1.pk]))
    role_grant(actor=None, user=tree.users["officer_b"], unit=tree.commune_b, role=RoleKind.COMMITTEE_ADMIN)
    client.force_login(tree.users["officer_b"])

    response = client.get(reverse("members:access_log"), {"unit": "XB"})

    assert response.status_code == 200
    assert list(response.context["openings"]) == []
