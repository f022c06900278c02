"""Signing out everywhere, changing the password, and session expiry."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, User
from accounts.services import api_token_create
from accounts.tests.factories import PASSWORD
from audit.models import ChangeLog
from common.tests.clients import english_client


def signed_in(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("handbook:my_record")).status_code == 200


def test_signing_out_everywhere_ends_the_other_sessions_and_tokens_but_keeps_this_one(tree):
    user = tree.users["member_a1"]
    here, phone = signed_in(user), signed_in(user)
    _token, key = api_token_create(user=user, name="phone app")
    bearer = Client(headers={"authorization": f"Bearer {key}"})
    assert bearer.get("/api/auth/me").status_code == 200

    response = here.post(reverse("accounts:sign_out_elsewhere"), follow=True)

    assert response.status_code == 200
    assert "signed out on every other device" in response.content.decode()
    assert is_signed_in(here)
    assert not is_signed_in(phone)
    assert bearer.get("/api/auth/me").status_code == 401
    assert not ApiToken.objects.usable().filter(user=user).exists()
    entry = ChangeLog.objects.for_object(user).latest("pk")
    assert (entry.prechange_data["session_generation"], entry.postchange_data["session_generation"]) == (0, 1)


def test_signing_out_everywhere_needs_a_post(tree):
    client = signed_in(tree.users["member_a1"])

    assert client.get(reverse("accounts:sign_out_elsewhere")).status_code == 405
    assert User.objects.get(pk=tree.users["member_a1"].pk).session_generation == 0


def test_sessions_from_before_the_first_sign_out_everywhere_keep_working():
    """Generation 0 signs sessions exactly as Django does, so deploying this signed nobody out."""
    user = User(username="x")
    user.set_password("a long password 123")

    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    user.session_generation = 1
    assert user.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(user)


def test_changing_the_password_signs_out_the_other_devices_and_is_logged(tree):
    user = tree.users["member_a1"]
    here, phone = signed_in(user), signed_in(user)

    refused = here.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Hoa sen 2026!", "new_password2": "Hoa sen 2026!"},
    )
    assert refused.status_code == 200
    assert is_signed_in(phone)

    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Hoa sen 2026!", "new_password2": "Hoa sen 2026!"},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("Hoa sen 2026!")
    assert is_signed_in(here)
    assert not is_signed_in(phone)
    assert ChangeLog.objects.for_object(user).filter(reason="Password changed").count() == 1


def test_the_password_policy_applies_to_a_change(tree):
    client = signed_in(tree.users["member_a1"])

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert User.objects.get(pk=tree.users["member_a1"].pk).check_password(PASSWORD)


def test_a_sign_in_lasts_a_working_day_not_for_ever(tree):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "member_a1", "password": PASSWORD})

    assert int(client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 8 * 3600
