"""Study on a phone at 360 px: the member reads a part (also offline) and takes the quiz; the secretary marks the
cell's members who studied at the meeting; the committee's figures."""

import pytest
from playwright.sync_api import expect

from common.tests.test_browser_phone_pages import assert_fits_a_phone, visit
from handbook.tests.test_browser import signed_in_and_controlled, wait_until
from study.models import StudyProgress

from .factories import assign

pytestmark = pytest.mark.browser


def test_the_member_studies_and_passes_the_quiz_on_a_phone(live_server, tree, phones):
    assignment = assign(tree)
    member = phones(live_server.url, "member_a1")
    visit(member, f"{live_server.url}/study/{assignment.pk}/")

    member.click(".study-step button[type=submit]")
    expect(member.locator(".study-done")).to_be_visible()
    assert_fits_a_phone(member)

    member.click("a[href$='/quiz/']")
    assert_fits_a_phone(member)
    questions = member.locator(".quiz-question")
    expect(questions).to_have_count(4)
    for number, labels in enumerate(
        (["Mỗi tháng"], ["Báo cáo chi bộ", "Làm thủ tục chuyển sinh hoạt"], ["0,5%"], ["2026"])
    ):
        for label in labels:
            questions.nth(number).get_by_text(label, exact=False).first.click()
    member.click(".quiz-form button[type=submit]")

    expect(member.locator(".quiz-result.is-passed")).to_be_visible()
    expect(member.locator(".quiz-score")).to_contain_text("100%")
    assert_fits_a_phone(member)
    progress = StudyProgress.objects.get(assignment=assignment, member=tree.member_a1)
    assert progress.passed_at is not None and progress.studied_at is not None


def test_a_part_read_offline_is_sent_when_the_connection_returns(live_server, tree, phones):
    # Given the assignment opened once on a phone the worker controls, so it is kept there
    assignment = assign(tree)
    page = signed_in_and_controlled(phones, live_server)
    url = f"{live_server.url}/study/{assignment.pk}/"
    page.goto(url)
    wait_until(page, f"caches.open('sotay-data').then((cache) => cache.match('{url}')).then(Boolean)")

    # When the phone is offline, the member opens it again and ticks the part
    page.context.set_offline(True)
    page.goto(url)
    expect(page.locator(".study-step")).to_have_count(1)
    page.click(".study-step button[type=submit]")

    # Then it is kept on the phone...
    expect(page.locator(".notice-warning")).to_be_visible()
    assert StudyProgress.objects.get(assignment=assignment).steps_done == []

    # ...and sent when the connection returns and a page of the app opens
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/handbook/")
    wait_until(
        page,
        """new Promise((resolve) => {
            const open = indexedDB.open("sotay", 1);
            open.onsuccess = () => {
                const request = open.result.transaction("checkins").objectStore("checkins").count();
                request.onsuccess = () => resolve(request.result === 0);
            };
        })""",
    )
    progress = StudyProgress.objects.get(assignment=assignment)
    assert progress.steps_done == ["text"] and progress.studied_at is not None


def test_the_secretary_marks_who_studied_and_the_committee_reads_the_figures_on_a_phone(live_server, tree, phones):
    assignment = assign(tree)
    secretary = phones(live_server.url, "secretary_a1")
    visit(secretary, f"{live_server.url}/study/{assignment.pk}/members/", with_menu=False)

    secretary.check(f"input[name=member][value='{tree.member_a1.pk}']")
    secretary.click(".study-mark button[type=submit]")
    expect(secretary.locator(".message-success")).to_be_visible()
    assert_fits_a_phone(secretary)
    assert StudyProgress.objects.get(member=tree.member_a1).marked_by == tree.users["secretary_a1"]

    officer = phones(live_server.url, "officer_a")
    visit(officer, f"{live_server.url}/study/{assignment.pk}/figures/", with_menu=False)
    expect(officer.locator(".study-by-unit tbody tr")).to_have_count(2)
    visit(officer, f"{live_server.url}/study/{assignment.pk}/questions/", with_menu=False)
