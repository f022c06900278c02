from django.conf import settings
from django.urls import reverse

from accounts.models import AccountUse
from accounts.tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")


def sign_in(client, identifier: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"username": identifier, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_asks_for_any_identifier(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert "Phone number, citizen ID or username" in response.text


def test_a_member_signs_in_with_their_username(client, tree):
    response = sign_in(client, "member_a1")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(tree.users["member_a1"].pk)


def test_each_sign_in_records_the_first_and_last_use_of_the_account(client, tree):
    user = tree.users["member_a1"]

    sign_in(client, "member_a1")
    first = AccountUse.objects.get(user=user)
    client.logout()
    sign_in(client, "member_a1")
    again = AccountUse.objects.get(user=user)

    assert first.first_used_at is not None
    assert again.first_used_at == first.first_used_at
    assert again.last_used_at > first.last_used_at


def test_a_failed_sign_in_records_no_use(client, tree):
    sign_in(client, "member_a1", password="wrong-password")

    assert not AccountUse.objects.filter(user=tree.users["member_a1"]).exists()


def test_a_member_signs_in_with_the_phone_number_on_their_record(client, tree):
    sign_in(client, tree.member_a1.phone)

    assert signed_in_user_id(client) == str(tree.users["member_a1"].pk)


def test_a_member_signs_in_with_their_citizen_id(client, tree):
    sign_in(client, tree.member_a1.citizen_id)

    assert signed_in_user_id(client) == str(tree.users["member_a1"].pk)


def test_a_wrong_password_shows_the_form_again_with_a_message(client, tree):
    response = sign_in(client, "member_a1", "wrong password")

    assert response.status_code == 200
    assert "The identifier or the password is not right." in response.text
    assert signed_in_user_id(client) is None


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, tree):
    for _attempt in range(5):
        sign_in(client, "member_a1", "wrong password")

    response = sign_in(client, "member_a1")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_the_locked_out_page_says_for_how_long(client, tree):
    for _attempt in range(4):
        sign_in(client, "member_a1", "wrong password")

    response = sign_in(client, "member_a1", "wrong password")

    assert response.status_code == 429
    assert "signing in is locked for 15 minutes" in response.text


def test_signing_out_ends_the_session(client, tree):
    client.force_login(tree.users["officer_a"])

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("accounts:home"))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_home_sends_an_official_to_what_needs_doing_today(client, tree):
    client.force_login(tree.users["officer_a"])

    response = client.get(reverse("accounts:home"))

    assert response.url == reverse("handbook:today")


def test_home_sends_a_plain_member_to_their_handbook_home(client, tree):
    client.force_login(tree.users["member_a1"])

    response = client.get(reverse("accounts:home"))

    assert response.url == reverse("handbook:home")


def test_the_language_switch_changes_the_page_language(client, tree):
    client.force_login(tree.users["officer_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    client.post(reverse("set_language"), {"language": "en", "next": reverse("orgunits:list")})
    response = client.get(reverse("orgunits:list"))

    assert '<html lang="en">' in response.text
