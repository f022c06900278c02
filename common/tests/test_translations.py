"""The Vietnamese catalogue: complete, placeholder-safe, compiled, and actually used by Django."""

import datetime
import re
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from members.choices import Sex
from members.models import Member
from members.validation import citizen_id_errors
from orgunits.models import Unit

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"

# printf-style (%(name)s, %s, %d, …) and brace-style ({name}) placeholders; "%%" is a literal percent sign.
PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z_]\w*\)[#0+-]*\d*(?:\.\d+)?[sdifr]|%[#0+-]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_]\w*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def translations(catalogue) -> dict:
    """(context, msgid) → msgstr, or the tuple of plural msgstrs in form order; the header left out."""
    result = {}
    for entry in catalogue:
        if entry.obsolete or entry.msgid == "":
            continue
        key = (entry.msgctxt, entry.msgid)
        if entry.msgid_plural:
            result[key] = tuple(entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural))
        else:
            result[key] = entry.msgstr
    return result


def msgstrs(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def test_the_vietnamese_catalogue_declares_one_plural_form_and_utf8(po):
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]


def test_every_message_is_translated_into_vietnamese(po):
    untranslated = [entry.msgid for entry in live_entries(po) if not all(msgstrs(entry))]

    assert untranslated == []


def test_no_translation_is_left_fuzzy(po):
    fuzzy = [entry.msgid for entry in live_entries(po) if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_every_plural_message_has_exactly_the_one_vietnamese_form(po):
    wrong = [entry.msgid for entry in live_entries(po) if entry.msgid_plural and sorted(entry.msgstr_plural) != [0]]

    assert wrong == []


def test_each_translation_keeps_the_placeholders_of_its_msgid_and_adds_none(po):
    mismatched = []
    for entry in live_entries(po):
        expected = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural or ""))
        for msgstr in msgstrs(entry):
            if msgstr and set(placeholders(msgstr)) != expected:
                mismatched.append((entry.msgid, msgstr))

    assert mismatched == []


def test_translations_are_written_in_composed_unicode(po):
    decomposed = [
        msgstr
        for entry in live_entries(po)
        for msgstr in msgstrs(entry)
        if unicodedata.normalize("NFC", msgstr) != msgstr
    ]

    assert decomposed == []


def test_the_compiled_catalogue_holds_exactly_the_translations_of_the_po_file(po):
    """A .po edited without running compilemessages fails here."""
    assert MO_PATH.exists(), "run: manage.py compilemessages -l vi"

    assert translations(polib.mofile(str(MO_PATH))) == translations(po)


def test_model_names_read_in_vietnamese():
    with translation.override("vi"):
        assert gettext("Party member") == "Đảng viên"
        assert str(Member._meta.verbose_name) == "đảng viên"
        assert str(Unit._meta.verbose_name) == "tổ chức đảng"
        assert str(Member._meta.get_field("joined_on").verbose_name) == "ngày vào Đảng"


def test_a_citizen_id_of_the_wrong_length_is_refused_in_vietnamese():
    with translation.override("vi"):
        errors = citizen_id_errors("12345", sex=None, date_of_birth=None)

    assert errors == ["Số CCCD phải có đúng 12 chữ số."]


def test_citizen_id_messages_in_vietnamese_carry_the_province_code_sex_and_year():
    # 999 is no province; digit 4 = 0 is a man born in the 1900s; digits 5–6 = 65 say born in 1965.
    with translation.override("vi"):
        errors = citizen_id_errors("999065123456", sex=Sex.FEMALE, date_of_birth=datetime.date(1966, 5, 1))

    assert errors == [
        "999 không phải là mã tỉnh: ba chữ số đầu của số CCCD là mã tỉnh, thành phố.",
        "Chữ số thứ tư của số CCCD ứng với giới tính nam, nhưng hồ sơ ghi giới tính nữ.",
        "Chữ số thứ 5 và 6 của số CCCD (65) không khớp với năm sinh 1966.",
    ]


def test_the_sign_in_page_in_vietnamese_labels_the_identifier_field_in_vietnamese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Số điện thoại, số CCCD hoặc tên đăng nhập" in response.text
    assert "Đăng nhập" in response.text


def test_the_sign_in_page_without_a_language_preference_is_vietnamese(db):
    response = Client().get(reverse("accounts:login"))

    assert "Số điện thoại, số CCCD hoặc tên đăng nhập" in response.text
