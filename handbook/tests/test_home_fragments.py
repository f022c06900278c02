"""The member's home rendered from kept cards and a kept page shell (handbook/home_fragments.py): the same page as
rendered whole, each member's own, and every change on the next visit."""

import random
import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from handbook import home_fragments
from handbook.home_parts import PART_PREFIX
from handbook.services import display_preference_set
from meetings.models import Meeting
from meetings.tests.factories import make_meeting
from members.tests.factories import make_member

# Each kind of change, by a service, on the next visit (handbook/tests/test_home_cache.py), here with no page kept
# whole: every visit is assembled from kept parts and rendered from kept cards (pytest collects them here too).
from .test_home_cache import (  # noqa: F401 - tests, collected here again
    test_a_cell_moved_to_another_commune_shows_that_communes_notices,
    test_a_change_by_a_service_shows_on_the_next_visit,
    test_a_page_with_a_message_is_not_kept_and_the_message_shows_once,
    test_each_language_has_its_own_page,
    test_the_badge_goes_when_the_member_reads_the_inbox,
    test_the_kept_pages_forms_carry_a_valid_csrf_token,
    test_what_officials_take_back_leaves_the_page,
    test_what_the_member_reads_or_settles_leaves_the_page,
)
from .test_home_parts import varied_home

HOME = reverse("handbook:home")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def assembled_every_time(settings):
    settings.HOME_PAGE_KEPT_WHOLE = False
    home_fragments.recent.clear()


def tokens_masked(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', page)


def page_rendered_whole(client, settings) -> str:
    settings.HOME_FRAGMENTS_KEPT = 0
    page = client.get(HOME).text
    settings.HOME_FRAGMENTS_KEPT = 2000
    return page


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("large_text, high_contrast", [(False, False), (True, False), (True, True)])
def test_the_page_from_kept_cards_is_the_page_rendered_whole(tree, settings, seed, language, large_text, high_contrast):
    # Given a varied home, in a language, with display modes
    varied_home(tree, random.Random(seed))
    member = tree.users["member_a1"]
    display_preference_set(actor=member, is_large_text=large_text, is_high_contrast=high_contrast)
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    browser.force_login(member)

    # When it is rendered from cards and a shell kept, and whole
    browser.get(HOME)
    kept = browser.get(HOME)
    whole = page_rendered_whole(browser, settings)

    # Then the pages are the same but for the CSRF token's mask, and the kept one rendered no template at all
    assert kept.templates == []
    assert tokens_masked(kept.text) == tokens_masked(whole)
    assert "Nguyễn Văn An" in kept.text


def test_vietnamese_is_the_default_of_the_kept_shell_and_cards(tree):
    browser = Client()  # no language chosen
    browser.force_login(tree.users["member_a1"])
    browser.get(HOME)

    page = browser.get(HOME).text

    assert '<html lang="vi">' in page
    assert "Thông báo chưa đọc" in page
    assert "Unread notices" not in page


@pytest.fixture
def neighbour(tree):
    """Another plain member of member_a1's cell."""
    record = make_member(unit=tree.cell_a1, full_name="Phạm Thị Hoa", sex="female")
    return make_user(role=RoleKind.MEMBER, unit=tree.cell_a1, username="member_a1b", member=record)


def test_two_members_of_one_cell_see_only_their_own_card_and_token(tree, neighbour):
    # Given two members of one cell, each on their own phone, each home kept
    browsers = {}
    for user in (tree.users["member_a1"], neighbour):
        browsers[user.username] = Client()
        browsers[user.username].force_login(user)
        browsers[user.username].get(HOME)

    # When each comes back
    pages = {username: browser.get(HOME) for username, browser in browsers.items()}

    # Then each sees their own record, and forms carrying their own browser's CSRF secret
    assert "Nguyễn Văn An" in pages["member_a1"].text and "Phạm Thị Hoa" not in pages["member_a1"].text
    assert "Phạm Thị Hoa" in pages["member_a1b"].text and "Nguyễn Văn An" not in pages["member_a1b"].text
    for username, response in pages.items():
        secret = browsers[username].cookies["csrftoken"].value
        shown = set(TOKEN.findall(response.text))
        assert len(shown) == 1
        assert {_unmask_cipher_token(token) for token in shown} == {secret}
    assert browsers["member_a1"].cookies["csrftoken"].value != browsers["member_a1b"].cookies["csrftoken"].value


def test_a_part_computed_again_is_shown_anew_though_no_token_changed(phone, tree):
    # Given a meeting shown from kept cards
    meeting = make_meeting(unit=tree.cell_a1, topic="Sinh hoạt tháng Mười hai")
    phone.get(HOME)
    assert "Sinh hoạt tháng Mười hai" in phone.get(HOME).text

    # When the cell's part lapses (its meeting ended, its time ran out) and is computed again, after a change that
    # renewed no token (written without the services)
    Meeting.objects.filter(pk=meeting.pk).update(topic="Sinh hoạt chuyên đề")
    cache.delete(f"{PART_PREFIX}cell:{tree.cell_a1.path}")

    # Then the card is rendered anew: cards are kept under the version of the part, not under its tokens
    page = phone.get(HOME).text
    assert "Sinh hoạt chuyên đề" in page
    assert "Sinh hoạt tháng Mười hai" not in page


def test_the_path_and_the_language_form_follow_the_request(phone):
    phone.get(HOME)

    page = phone.get(HOME, {"from": "<app>"}).text

    assert 'name="next" value="/handbook/?from=%3Capp%3E"' in page
    assert "<app>" not in page


def test_a_message_is_shown_once_on_a_page_from_kept_cards(phone):
    phone.get(HOME)
    phone.post(reverse("handbook:display"), {"is_large_text": "on"})

    shown = phone.get(HOME)
    again = phone.get(HOME)  # its shell (large text now) rendered and kept

    assert "Display saved." in shown.text
    assert "Display saved." not in again.text
    assert "handbook/large-text.css" in again.text
    assert phone.get(HOME).templates == []
