"""Vietnamese first: the interface is Vietnamese unless the user chose English, whatever the browser asks for."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import ChangeLog

SWITCH = reverse("set_language")


def browser_in_english() -> Client:
    """A browser whose Accept-Language is English and that never used the language switch."""
    return Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")


def test_a_sign_in_page_asked_for_in_english_by_the_browser_is_vietnamese(db):
    response = browser_in_english().get(reverse("accounts:login"))

    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert response["Content-Language"] == "vi"


def test_a_member_whose_browser_is_english_gets_vietnamese_pages(tree):
    client = browser_in_english()
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("handbook:my_record"))

    assert '<html lang="vi">' in response.text


def test_a_member_who_chooses_english_keeps_it_on_the_account_and_on_another_device(tree):
    phone = browser_in_english()
    phone.force_login(tree.users["member_a1"])

    phone.post(SWITCH, {"language": "en", "next": reverse("accounts:security")})
    computer = Client()
    computer.force_login(tree.users["member_a1"])
    response = computer.get(reverse("handbook:my_record"))

    tree.users["member_a1"].refresh_from_db()
    assert tree.users["member_a1"].language == "en"
    assert '<html lang="en">' in response.text


def test_choosing_a_language_writes_the_change_log(tree):
    client = Client()
    client.force_login(tree.users["member_a1"])

    client.post(SWITCH, {"language": "en", "next": "/"})

    entry = ChangeLog.objects.filter(object_id=tree.users["member_a1"].pk).latest("pk")
    assert entry.prechange_data["language"] == ""
    assert entry.postchange_data["language"] == "en"


def test_a_member_who_chose_english_goes_back_to_vietnamese_from_the_security_page(tree):
    user = tree.users["member_a1"]
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)

    page = client.get(reverse("accounts:security")).text
    client.post(SWITCH, {"language": "vi", "next": reverse("accounts:security")})

    assert 'name="language" value="vi"' in page
    assert "Interface language" in page
    assert '<html lang="vi">' in client.get(reverse("accounts:security")).text


def test_a_language_the_site_does_not_offer_is_ignored(tree):
    client = Client()
    client.force_login(tree.users["member_a1"])

    response = client.post(SWITCH, {"language": "fr", "next": "/"})

    tree.users["member_a1"].refresh_from_db()
    assert response.status_code == 302
    assert tree.users["member_a1"].language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_does_not_send_the_user_to_another_site(tree):
    client = Client()

    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_before_signing_in_the_switch_keeps_the_choice_on_this_browser(db):
    client = browser_in_english()

    client.post(SWITCH, {"language": "en", "next": reverse("accounts:login")})

    assert '<html lang="en">' in client.get(reverse("accounts:login")).text
