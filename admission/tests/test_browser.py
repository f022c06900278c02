"""The secretary's probation pages on a phone at 360 px: the list, the file and the cell's vote; nothing scrolls
sideways and every control is a tap target."""

import pytest
from playwright.sync_api import expect

from admission.choices import ProbationStage
from admission.models import ProbationCase
from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit

from .factories import FILE, make_probationary

pytestmark = pytest.mark.browser


def test_the_secretary_records_the_file_and_the_cells_vote_on_a_phone(live_server, tree, phones):
    member = make_probationary(tree)
    secretary = phones(live_server.url, "secretary_a1")

    visit(secretary, f"{live_server.url}/admission/", with_menu=False)
    case = ProbationCase.objects.get(member=member)
    secretary.click(f"a[href='/admission/probation/{case.pk}/']")
    secretary.wait_for_url(f"**/admission/probation/{case.pk}/")
    assert_fits_a_phone(secretary)

    secretary.fill("textarea[name=application]", FILE["application"])
    secretary.fill("input[name=application_on]", FILE["application_on"].isoformat())
    secretary.fill("textarea[name=introducers_opinion]", FILE["introducers_opinion"])
    secretary.fill("input[name=introducers_opinion_on]", FILE["introducers_opinion_on"].isoformat())
    secretary.click("form[action$='/file/'] button[type=submit]")
    expect(secretary.locator(".message-success")).to_be_visible()
    assert_fits_a_phone(secretary)

    secretary.fill("input[name=votes_for]", "5")
    secretary.fill("input[name=voters]", "6")
    secretary.click("form[action$='/vote/'] button[type=submit]")
    expect(secretary.locator(".message-success")).to_be_visible()
    assert_fits_a_phone(secretary)

    case.refresh_from_db()
    assert (case.stage, case.cell_votes_for, case.cell_voters) == (ProbationStage.CELL_VOTED, 5, 6)


def test_the_committees_probation_pages_fit_a_phone(live_server, tree, phones):
    make_probationary(tree)
    officer = phones(live_server.url, "officer_a")
    visit(officer, f"{live_server.url}/admission/")
    visit(officer, f"{live_server.url}/admission/late/", with_menu=False)
    case = ProbationCase.objects.get()
    visit(officer, f"{live_server.url}/admission/probation/{case.pk}/", with_menu=False)
