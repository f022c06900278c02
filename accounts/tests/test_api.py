import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from accounts.tests.factories import PASSWORD
from common.tests.api import api_client
from orgunits.models import Unit


@pytest.fixture(autouse=True)
def english(settings):
    # Requests carry no Accept-Language, so the API answers in LANGUAGE_CODE: make that English too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def obtain_token(username: str, password: str):
    return Client().post(
        "/api/auth/token",
        {"username": username, "password": password, "name": "laptop"},
        content_type="application/json",
    )


def test_a_user_exchanges_their_password_for_a_token_and_uses_it_as_a_bearer(tree):
    response = obtain_token("officer_a", PASSWORD)

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "laptop" and body["token"].startswith(body["prefix"])
    me = Client(headers={"authorization": f"Bearer {body['token']}"}).get("/api/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "officer_a"


def test_only_the_hash_of_an_obtained_token_is_stored(tree):
    key = obtain_token("officer_a", PASSWORD).json()["token"]

    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert ApiToken.objects.get(user=tree.users["officer_a"]).prefix == key[:8]


def test_a_wrong_password_is_refused_with_a_clear_message_and_no_token(tree):
    response = obtain_token("officer_a", "not-the-password")

    assert response.status_code == 401
    assert response.json() == {"detail": "The username or password is not correct."}
    assert not ApiToken.objects.exists()


def test_repeated_wrong_passwords_lock_the_username_out_of_the_token_endpoint(tree):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        obtain_token("officer_a", "not-the-password")

    response = obtain_token("officer_a", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_token_request_that_is_not_json_is_a_documented_bad_request(tree):
    response = Client().post("/api/auth/token", data="{", content_type="application/json")

    assert response.status_code == 400
    responses = Client().get("/api/openapi.json").json()["paths"]["/api/auth/token"]["post"]["responses"]
    assert "400" in responses


def test_an_unknown_token_is_refused(tree):
    response = Client(headers={"authorization": "Bearer not-a-token"}).get("/api/auth/me")

    assert response.status_code == 401


def test_a_revoked_token_is_refused(tree):
    token, key = api_token_create(user=tree.users["officer_a"], name="old phone")
    api_token_revoke(actor=None, token=token, reason="lost")

    response = Client(headers={"authorization": f"Bearer {key}"}).get("/api/auth/me")

    assert response.status_code == 401


def test_an_expired_token_is_refused(tree):
    token, key = api_token_create(user=tree.users["officer_a"], name="old phone")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = Client(headers={"authorization": f"Bearer {key}"}).get("/api/auth/me")

    assert response.status_code == 401


def test_a_request_without_credentials_is_told_how_to_authenticate(tree):
    response = Client().get("/api/units")

    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in, or send an API token as “Authorization: Bearer <token>”."}


def test_the_session_of_a_signed_in_user_authenticates_the_api(tree):
    client = Client()
    client.force_login(tree.users["officer_a"])

    response = client.get("/api/auth/me")

    assert response.status_code == 200 and response.json()["username"] == "officer_a"


def test_a_session_write_without_the_csrf_token_is_refused(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.users["officer_a"])

    response = client.patch("/api/units/XA-C2", {"name": "Chi bộ thôn Hai"}, content_type="application/json")

    assert response.status_code == 403
    assert Unit.objects.get(code="XA-C2").name == "Chi bộ thôn 2"


def test_a_session_write_with_the_csrf_token_is_accepted(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.users["officer_a"])
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret

    response = client.patch(
        "/api/units/XA-C2",
        {"name": "Chi bộ thôn Hai"},
        content_type="application/json",
        headers={"x-csrftoken": secret},
    )

    assert response.status_code == 200
    assert Unit.objects.get(code="XA-C2").name == "Chi bộ thôn Hai"


def test_a_bearer_write_needs_no_csrf_token(tree):
    client = api_client(tree.users["officer_a"])
    client.handler.enforce_csrf_checks = True

    response = client.patch("/api/units/XA-C2", {"name": "Chi bộ thôn Hai"}, content_type="application/json")

    assert response.status_code == 200


def test_me_lists_the_users_roles_with_their_units(tree):
    response = api_client(tree.users["officer_a"]).get("/api/auth/me")

    assert response.json()["roles"] == [
        {"role": "committee_officer", "role_label": "Committee officer", "unit_code": "XA", "unit_name": "Đảng bộ xã A"}
    ]


def test_me_names_the_member_record_of_a_member(tree):
    response = api_client(tree.users["member_a1"]).get("/api/auth/me")

    assert response.json()["member_id"] == tree.member_a1.pk
