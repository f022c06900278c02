"""Getting started: the sign-in page leads to activation; slips say where to go, who you are and what to do."""

from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD, make_user
from common.tests.clients import english_client
from members.tests.factories import make_member
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember


def test_the_sign_in_page_links_to_activating_an_account_in_vietnamese(db):
    response = Client().get(reverse("accounts:login"))

    assert f'href="{reverse("activation:activate")}"' in response.text
    assert "Kích hoạt tài khoản" in response.text


def test_a_printed_slip_shows_the_site_address_three_steps_and_the_username(tree, settings):
    settings.ALLOWED_HOSTS = ["sotay.example.vn"]
    member = make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    client = english_client(HTTP_HOST="sotay.example.vn")
    client.force_login(tree.users["secretary_a1"])

    page = client.post(reverse("activation:activation_slips", args=["XA-C1"]), follow=True).text

    slip = page[page.index("Phạm Văn Dũng") :]
    slip = slip[: slip.index("</ol>")]
    assert "sotay.example.vn" in slip and "https://" not in slip
    assert f"sotay.example.vn{reverse('activation:activate')}" in slip
    assert f'class="slip-username">{member.user.username}<' in slip
    assert slip.count("<li>") == 3


def test_the_supporters_activation_ends_with_the_username_on_a_printable_slip(tree, settings):
    settings.ALLOWED_HOSTS = ["sotay.example.vn"]
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    client = english_client(HTTP_HOST="sotay.example.vn")
    client.force_login(supporter)
    url = reverse("rollout:supporter_activation", args=[team.pk, tree.member_a2.pk])

    response = client.post(
        url, {"place": "home", "has_consent": "on", "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )
    again = client.get(url)

    tree.member_a2.refresh_from_db()
    username = tree.member_a2.user.username
    assert response.redirect_chain == [(url, 302)]
    assert "Account activated" in response.text
    assert f"<strong>{username}</strong>" in response.text
    assert f'class="slip-username">{username}<' in response.text
    assert "sotay.example.vn" in response.text and "data-print" in response.text
    assert "Account activated" not in again.text  # shown once: a reload shows the form again
