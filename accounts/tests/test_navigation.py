"""The menu of every page (templates/base.html, accounts.context_processors.Navigation): who sees which section,
and that a change of roles shows on the very next request."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.services import role_grant, role_revoke
from accounts.tests.factories import make_user
from rollout.choices import Affiliation
from rollout.models import Team, TeamMember

SECTIONS = {
    "members": "members:list",
    "import": "members:import",
    "rollout": "rollout:home",
    "my_questions": "questions:mine",
    "question_queue": "questions:queue",
    "reports": "reports:home",
    "corrections": "corrections:queue",
    "check_my_record": "corrections:my_record",
}


def menu_of(user) -> set[str]:
    """The sections the menu links to on the user's home (or where a member-less user lands)."""
    client = Client()
    client.force_login(user)
    page = client.get(reverse("handbook:home")).content.decode()
    menu = page.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return {name for name, url in SECTIONS.items() if f'href="{reverse(url)}"' in menu}


def test_a_plain_member_sees_their_own_sections(tree):
    assert menu_of(tree.users["member_a1"]) == {"my_questions", "check_my_record"}


def test_a_commune_officer_sees_the_registry_sections(tree):
    assert menu_of(tree.users["officer_a"]) == {
        "members",
        "import",
        "rollout",
        "question_queue",
        "reports",
        "corrections",
    }


@pytest.mark.parametrize(("with_area", "expected"), [(False, {"rollout"}), (True, {"rollout", "reports"})])
def test_a_supporter_sees_rollout_and_reports_only_for_a_villages_team(tree, with_area, expected):
    team = Team.objects.create(name="Tổ hỗ trợ", unit=tree.commune_a, area=tree.village_a1 if with_area else None)
    supporter = make_user(username="supporter_a")
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)

    assert menu_of(supporter) == expected


def test_a_role_granted_or_revoked_shows_in_the_menu_on_the_next_request(tree):
    member = tree.users["member_a1"]
    client = Client()
    client.force_login(member)
    assert f'href="{reverse("members:list")}"' not in client.get(reverse("handbook:home")).content.decode()

    assignment = role_grant(
        actor=tree.users["admin_a"], user=member, unit=tree.cell_a1, role=RoleKind.COMMITTEE_OFFICER
    )
    page = client.get(reverse("handbook:home")).content.decode()
    assert f'href="{reverse("members:list")}"' in page
    assert f'href="{reverse("corrections:queue")}"' in page

    role_revoke(actor=tree.users["admin_a"], assignment=assignment)
    page = client.get(reverse("handbook:home")).content.decode()
    assert f'href="{reverse("members:list")}"' not in page
    assert f'href="{reverse("corrections:queue")}"' not in page
