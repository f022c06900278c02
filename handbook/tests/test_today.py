"""The officer's landing page: what needs doing today in their own units."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import make_user
from corrections.tests.factories import make_request
from members.tests.factories import make_member
from orgunits.choices import AreaKind
from questions.tests.factories import make_question
from reports.tests.factories import make_campaign, make_template
from rollout.activation.services import account_activate


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def work_in_commune_a(tree):
    """A correction waiting at the cell, a question waiting, a village report late, cells behind."""
    make_request(tree)
    make_question(tree, addressee="commune")
    template = make_template(unit=tree.province)
    today = timezone.localdate()
    make_campaign(
        unit=tree.commune_a,
        template=template,
        target_tree="areas",
        target_kind=AreaKind.VILLAGE,
        cutoff_on=today - datetime.timedelta(days=5),
        deadline=today - datetime.timedelta(days=1),
    )


def test_the_officer_sees_each_kind_of_work_waiting_in_their_commune(tree):
    work_in_commune_a(tree)

    response = signed_in(tree.users["officer_a"]).get(reverse("handbook:today"))

    today = response.context["today"]
    assert today.corrections == 1
    assert today.questions == 1
    assert today.reports_overdue_count >= 1
    assert today.reports_to_file_count == 0, "the villages' reports are to chase, not to file"
    assert today.lagging_count >= 1 and today.lagging[0].unit.path.startswith(tree.commune_a.path)
    page = response.content.decode()
    assert [unit.code for unit in today.units] == ["XA"] and reverse("rollout:dashboard", args=["XA"]) in page
    for url in (reverse("corrections:queue"), reverse("questions:queue"), reverse("reports:home")):
        assert f'href="{url}"' in page


def test_the_sibling_communes_officer_sees_none_of_it(tree):
    work_in_commune_a(tree)

    today = signed_in(tree.users["officer_b"]).get(reverse("handbook:today")).context["today"]

    assert (today.corrections, today.questions, today.reports_overdue_count) == (0, 0, 0)
    assert all(figures.unit.path.startswith(tree.commune_b.path) for figures in today.lagging)


def test_a_cell_with_most_members_activated_is_not_lagging(tree):
    account_activate(actor=None, user=tree.users["member_a1"])
    account_activate(actor=None, user=make_user(member=tree.member_a2))

    today = signed_in(tree.users["officer_a"]).get(reverse("handbook:today")).context["today"]

    assert tree.cell_a1.code not in {figures.unit.code for figures in today.lagging}


def test_a_plain_member_is_sent_to_their_own_home(tree):
    response = signed_in(tree.users["member_a1"]).get(reverse("handbook:today"))

    assert response.status_code == 302 and response.url == reverse("handbook:home")


def test_the_page_costs_the_same_queries_however_much_work_waits(tree, django_assert_max_num_queries):
    client = signed_in(tree.users["officer_a"])
    client.get(reverse("handbook:today"))  # warm the per-user caches
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("handbook:today"))
    work_in_commune_a(tree)
    for _ in range(5):
        make_member(unit=tree.cell_a2)
    make_question(tree, addressee="commune", text="Câu hỏi thứ hai?")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("handbook:today"))
