"""API tokens expire, obey the account's two-factor requirement on every call, and are listed and revoked by
their owner only."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.models import ApiToken
from accounts.security.tests.test_two_factor import app_code, enrol, token_request
from accounts.services import api_token_create, role_grant
from audit.models import ChangeLog
from common.tests import clock


def token_log(token: ApiToken) -> ChangeLog:
    return ChangeLog.objects.get(object_type=ContentType.objects.get_for_model(ApiToken), object_id=token.pk)


def bearer(key: str) -> Client:
    return Client(headers={"authorization": f"Bearer {key}", "accept-language": "en"})


def test_a_token_expires_after_the_configured_lifetime(tree, settings, time_machine):
    settings.API_TOKEN_LIFETIME_DAYS = 3
    token, key = api_token_create(user=tree.users["member_a1"], name="phone")
    assert token.expires_at == token.created_at + datetime.timedelta(days=3)

    time_machine.move_to(clock.at(clock.TODAY + datetime.timedelta(days=2)))
    assert bearer(key).get("/api/auth/me").status_code == 200

    time_machine.move_to(clock.at(clock.TODAY + datetime.timedelta(days=3), minute=31))
    refused = bearer(key).get("/api/auth/me")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token has expired. Obtain a new one."}


def test_a_token_obtained_with_a_password_shows_when_it_expires(tree, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 14
    response = token_request(Client(), "member_a1")

    assert response.status_code == 201
    token = ApiToken.objects.get(prefix=response.json()["token"][:8])
    assert token.expires_at - token.created_at == datetime.timedelta(days=14)
    assert response.json()["expires_at"] is not None


def assert_refused_for_two_factor(key: str) -> None:
    response = bearer(key).get("/api/auth/me")
    assert response.status_code == 401
    assert "requires two-factor sign-in" in response.json()["detail"]


def test_a_token_made_before_enforcement_is_refused_after_it_and_the_refusal_is_logged(tree, settings):
    settings.TWO_FACTOR_ENFORCED = False
    officer = tree.users["officer_a"]
    token, key = api_token_create(user=officer, name="old phone")
    assert bearer(key).get("/api/auth/me").status_code == 200

    settings.TWO_FACTOR_ENFORCED = True

    assert_refused_for_two_factor(key)
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = token_log(token)
    assert "second step" in entry.reason and "key_hash" not in entry.postchange_data


def test_a_token_made_before_a_role_requiring_two_factors_is_refused_after_the_grant(tree, settings):
    settings.TWO_FACTOR_ENFORCED = True
    member = tree.users["member_a1"]
    _token, key = api_token_create(user=member, name="phone")
    assert bearer(key).get("/api/auth/me").status_code == 200  # a normal member's token keeps working

    role_grant(actor=tree.users["admin_a"], user=member, unit=tree.commune_a, role=RoleKind.COMMITTEE_OFFICER)

    assert_refused_for_two_factor(key)


def test_a_token_made_before_the_user_turned_on_two_factor_is_refused(tree, settings):
    settings.TWO_FACTOR_ENFORCED = False
    member = tree.users["member_a1"]
    _token, key = api_token_create(user=member, name="phone")

    enrol(member)

    assert_refused_for_two_factor(key)


def test_a_token_made_with_the_second_factor_keeps_working(tree, settings):
    settings.TWO_FACTOR_ENFORCED = True
    device, _codes = enrol(tree.users["officer_a"])

    response = token_request(
        Client(), "officer_a", otp_code=app_code(device, 1)
    )  # the next code: enrolling used this one

    assert response.status_code == 201
    assert ApiToken.objects.get(prefix=response.json()["token"][:8]).second_factor
    assert bearer(response.json()["token"]).get("/api/auth/me").status_code == 200


def test_the_list_shows_only_the_users_own_tokens(tree):
    own, key = api_token_create(user=tree.users["member_a1"], name="my phone")
    api_token_create(user=tree.users["officer_a"], name="someone else's laptop")

    response = bearer(key).get("/api/auth/tokens")

    assert response.status_code == 200
    assert [(row["id"], row["name"], row["prefix"]) for row in response.json()] == [(own.pk, "my phone", own.prefix)]
    page = Client()
    page.force_login(tree.users["member_a1"])
    html = page.get(reverse("accounts:security")).content.decode()
    assert "my phone" in html and "someone else" not in html


def test_the_owner_revokes_a_token_through_the_api_and_it_stops_working(tree):
    member = tree.users["member_a1"]
    lost, lost_key = api_token_create(user=member, name="lost phone")
    _current, key = api_token_create(user=member, name="laptop")

    response = bearer(key).delete(f"/api/auth/tokens/{lost.pk}")

    assert response.status_code == 200 and response.json()["revoked_at"] is not None
    refused = bearer(lost_key).get("/api/auth/me")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    entry = token_log(lost)
    assert entry.actor_id == member.pk and entry.reason == "Revoked by its owner"


def test_another_users_token_cannot_be_revoked(tree):
    others, others_key = api_token_create(user=tree.users["officer_a"], name="officer's laptop")
    _own, key = api_token_create(user=tree.users["member_a1"], name="phone")
    page = Client()
    page.force_login(tree.users["member_a1"])

    assert bearer(key).delete(f"/api/auth/tokens/{others.pk}").status_code == 404
    assert page.post(reverse("accounts:api_token_revoke"), {"token": others.pk}).status_code == 404
    others.refresh_from_db()
    assert others.revoked_at is None
    assert bearer(others_key).get("/api/auth/me").status_code == 200


def test_the_security_page_revokes_the_users_token(tree):
    token, key = api_token_create(user=tree.users["member_a1"], name="old tablet")
    page = Client()
    page.force_login(tree.users["member_a1"])

    response = page.post(reverse("accounts:api_token_revoke"), {"token": token.pk})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:security")
    assert bearer(key).get("/api/auth/me").status_code == 401


@pytest.mark.parametrize("value", ["", "abc"])
def test_the_revoke_page_refuses_a_missing_or_malformed_token(tree, value):
    page = Client()
    page.force_login(tree.users["member_a1"])

    assert page.post(reverse("accounts:api_token_revoke"), {"token": value}).status_code == 404
