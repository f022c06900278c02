"""On phones: a member asks their cell, the secretary answers, the member reads the answer."""

import pytest
from playwright.sync_api import expect

from common.tests.browser import open_menu
from questions.models import Question

pytestmark = pytest.mark.browser


def test_a_member_asks_on_a_phone_and_reads_the_secretarys_answer(live_server, tree, phones):
    # Given a member on their phone
    member = phones(live_server.url, "member_a1")

    # When they ask their cell from the navigation
    open_menu(member)
    member.click(".site-nav a[href='/questions/']")
    member.click(".question-tabs a[href='/questions/ask/']")
    member.locator("input[name=addressee][value=cell]").check()
    member.fill("textarea[name=text]", "Tháng này chi bộ họp ngày nào?")
    member.click("form.form button[type=submit]")
    expect(member.locator(".messages")).to_be_visible()
    question = Question.objects.get()

    # and the secretary answers it from their queue
    secretary = phones(live_server.url, "secretary_a1")
    secretary.goto(f"{live_server.url}/questions/queue/")
    secretary.click(f"a[href='/questions/{question.pk}/']")
    secretary.fill("textarea[name=answer]", "Ngày 4, tại nhà văn hoá thôn.")
    secretary.click(f"form[action='/questions/{question.pk}/answer/'] button[type=submit]")
    expect(secretary.locator(".messages")).to_be_visible()

    # Then the member reads the answer, on a page that fits the phone
    member.goto(f"{live_server.url}/questions/{question.pk}/")
    expect(member.get_by_text("Ngày 4, tại nhà văn hoá thôn.")).to_be_visible()
    assert member.evaluate("document.documentElement.scrollWidth") <= 360
    assert secretary.evaluate("document.documentElement.scrollWidth") <= 360
