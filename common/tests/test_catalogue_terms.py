"""One Vietnamese term, one meaning; one form of address; no English left on the pages.

The glossary below is the catalogue's side of the README's "Vietnamese terms": each term says what it means
and which messages may use it. A term borrowed for a second meaning ("Giải thể", a unit's dissolution, for a
closed question) fails here, as does a message that calls the user "bạn" instead of "đồng chí".
"""

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.choices import InterfaceLanguage

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@dataclasses.dataclass(frozen=True)
class Term:
    vietnamese: str
    meaning: str
    messages: frozenset  # (msgctxt, msgid) allowed to be translated by the term


def term(vietnamese: str, meaning: str, *messages) -> Term:
    return Term(vietnamese, meaning, frozenset(m if isinstance(m, tuple) else (None, m) for m in messages))


GLOSSARY = [
    term("Giải thể", "dissolving a party unit (the unit's action)", "Close"),
    term("Đã đóng", "a question or a record closed (state, change log)", ("question state", "Closed"), "Closed"),
    term("Phải dự", "members expected at a meeting", "Expected"),
    term("Chờ nộp", "a report asked for, not filed yet", ("report event", "Expected")),
    term("Phải nộp", "reports a campaign expects", ("reports to file", "Expected")),
    term("Số CCCD", "the citizen identity card number", "Citizen ID", "citizen ID"),
    term("Ngày vào Đảng", "the date of joining the Party", "Date of joining", "date of joining"),
    term("Kích hoạt tài khoản", "activating an account (action)", "Activate your account", "Activate the account"),
    term("Đã kích hoạt tài khoản", "an account activated (change log)", "Account activated"),
    term("Chuyển", "moving a unit (action)", "Move"),
    term("Đã chuyển", "a unit moved (change log)", "Moved"),
    term("Hợp nhất", "merging units (action)", "Merge"),
    term("Đã hợp nhất", "units merged (change log)", "Merged"),
    term("Đổi mật khẩu", "changing the password (action)", "Change password"),
    term("Đã đổi mật khẩu", "a password changed (change log)", "Password changed"),
    term("Chọn", "selecting rows (button)", "Select"),
    term("Lựa chọn", "a report field answered from a list (keyword)", ("report field keyword", "choice")),
]


def fold(text: str) -> str:
    return re.sub(r"[^\w ]", "", text).strip().casefold()


@pytest.fixture(scope="module")
def catalogue() -> list:
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete and entry.msgid]


def test_the_glossarys_messages_are_translated_by_their_term(catalogue):
    translated = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalogue}
    wrong = [
        (message, translated.get(message), glossary_term.vietnamese)
        for glossary_term in GLOSSARY
        for message in glossary_term.messages
        if fold(translated.get(message, "")) != fold(glossary_term.vietnamese)
    ]

    assert wrong == []


def test_no_term_of_the_glossary_is_used_for_another_meaning(catalogue):
    owners = {fold(glossary_term.vietnamese): glossary_term for glossary_term in GLOSSARY}
    borrowed = [
        (entry.msgctxt, entry.msgid, entry.msgstr, owners[fold(entry.msgstr)].meaning)
        for entry in catalogue
        if not entry.msgid_plural
        and fold(entry.msgstr) in owners
        and (entry.msgctxt, entry.msgid) not in owners[fold(entry.msgstr)].messages
    ]

    assert borrowed == []


def test_the_user_is_addressed_as_dong_chi_never_ban(catalogue):
    ban = re.compile(r"\b[Bb]ạn\b")
    informal = [
        entry.msgid
        for entry in catalogue
        for msgstr in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
        if ban.search(msgstr)
    ]

    assert informal == []


class _Text(HTMLParser):
    """The text a reader sees, and the attributes read aloud or shown (title, placeholder, aria-label, alt)."""

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in self.SHOWN_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])  # a button's label; other values are codes, never shown

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def shown_texts(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return {" ".join(part.split()) for part in parser.parts}


def english_messages(catalogue) -> set[str]:
    """Source strings that would show as they are if their translation were missing: words, not codes."""
    english = set()
    for entry in catalogue:
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if "%" in msgid or "{" in msgid or "<" in msgid:
                continue
            if len(msgid) >= 4 and re.search(r"[a-z]{3}", msgid) and fold(msgid) != fold(entry.msgstr or ""):
                english.add(" ".join(msgid.split()))
    # The language switch names each language in that language ("English"), on purpose.
    return english - {str(name) for _code, name in InterfaceLanguage.choices} - {"English", "Vietnamese"}


# The main pages of each role, reached by a browser asking for English.
PAGES = {
    "member_a1": ["accounts:home", "handbook:my_record", "accounts:security", "notices:list", "questions:mine"],
    "secretary_a1": ["accounts:home", "orgunits:list", "members:list", "meetings:list", "library:list"],
    "officer_a": ["accounts:home", "members:list", "corrections:queue", "reports:home", "rollout:home"],
    None: ["accounts:login", "activation:activate", "activation:activate_sms"],
}


@pytest.mark.parametrize("username", list(PAGES), ids=lambda name: name or "anonymous")
def test_the_main_pages_of_each_role_show_no_english_source_string(username, tree, catalogue):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    if username:
        client.force_login(tree.users[username])
    english = english_messages(catalogue)

    left_in_english = {}
    for name in PAGES[username]:
        response = client.get(reverse(name), follow=True)  # the home page sends each role to its landing page
        assert response.status_code == 200, name
        found = shown_texts(response.content.decode()) & english
        if found:
            left_in_english[name] = sorted(found)

    assert left_in_english == {}
