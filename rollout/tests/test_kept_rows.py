"""The dashboard's table of units is kept rendered row by row (common/rows.py): a figure that moves shows at once."""

import re

from django.test import Client
from django.urls import reverse

from accounts.tests.factories import make_user
from rollout.activation.services import account_activate


def cell_row(tree, client: Client) -> str:
    """The table row of cell A2 on commune A's dashboard (in Vietnamese, the language of a browser with no choice)."""
    page = client.get(reverse("rollout:dashboard", args=["XA"])).content.decode()
    link = reverse("rollout:dashboard", args=[tree.cell_a2.code])
    (row,) = re.findall(rf'<tr><td><a href="{re.escape(link)}">.*?</tr>', page)
    return row


def test_an_activation_shows_in_the_units_row_at_once(tree):
    client = Client()
    client.force_login(tree.users["officer_a"])
    assert '<td class="count">0</td><td class="count">0,0%</td>' in cell_row(tree, client)

    account_activate(actor=None, user=make_user(member=tree.member_a2))

    assert '<td class="count">1</td><td class="count">100,0%</td>' in cell_row(tree, client)
