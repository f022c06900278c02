"""Two-factor sign-in: committee roles must pass a second step before any page or API call; members may opt in."""

import io
import json
import re
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.choices import RoleKind
from accounts.models import User
from accounts.security.two_factor import (
    totp_device_confirm,
    totp_pending_device,
    two_factor_check,
    two_factor_required,
    two_factor_reset,
    two_factor_turn_off,
)
from accounts.tests.factories import PASSWORD, make_user
from audit.models import ChangeLog
from common.tests.clients import english_client
from common.tests.matrix import context_for
from common.tests.test_permission_matrix import ENDPOINTS, SIGNED_IN_ONLY, call, database_fingerprint

SECOND_STEP_PAGES = {"accounts:two_factor_verify", "accounts:two_factor_setup"}


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    device = totp_pending_device(user=user)
    codes = totp_device_confirm(user=user, device=device, code=app_code(device))
    user.refresh_from_db()
    device.refresh_from_db()
    return device, codes


def sign_in(username: str) -> Client:
    client = english_client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def test_committee_roles_require_it_and_members_do_not(tree):
    assert two_factor_required(tree.users["officer_a"])
    assert two_factor_required(tree.users["admin_a"])
    assert not two_factor_required(tree.users["member_a1"])
    assert not two_factor_required(tree.users["secretary_a1"])
    assert not two_factor_required(tree.users["no_role"])


def test_an_officer_is_walked_through_setup_on_first_sign_in_and_then_reaches_the_pages(tree):
    client = sign_in("officer_a")

    response = client.get(reverse("members:list"))
    setup_url = reverse("accounts:two_factor_setup")
    assert response.status_code == 302
    assert response["Location"].startswith(setup_url)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=tree.users["officer_a"], confirmed=False)

    wrong = client.post(setup_url, {"code": "000000" if app_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not User.objects.get(pk=tree.users["officer_a"].pk).two_factor_enabled

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(setup_url, {"code": app_code(device), "next": reverse("members:list")})
    assert done.status_code == 200
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert User.objects.get(pk=tree.users["officer_a"].pk).two_factor_enabled
    assert client.get(reverse("members:list")).status_code == 200
    entry = ChangeLog.objects.for_object(tree.users["officer_a"]).latest("pk")
    assert (entry.prechange_data["two_factor_enabled"], entry.postchange_data["two_factor_enabled"]) == (False, True)
    # Only hashes of the recovery codes are stored.
    stored = set(StaticToken.objects.filter(device__user=tree.users["officer_a"]).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code for code in codes} and not stored & {code.replace("-", "") for code in codes}


def test_a_second_sign_in_asks_for_the_code_and_refuses_a_wrong_or_replayed_one(tree):
    device, _codes = enrol(tree.users["officer_a"])
    first = sign_in("officer_a")
    verify_url = reverse("accounts:two_factor_verify")

    response = first.get(reverse("members:list"))
    assert response["Location"].startswith(verify_url)
    assert "next=%2Fmembers%2F" in response["Location"]

    wrong = first.post(verify_url, {"code": "12345", "next": reverse("members:list")})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    code = app_code(device, steps_ahead=1)
    passed = first.post(verify_url, {"code": code, "next": reverse("members:list")})
    assert passed.status_code == 302 and passed["Location"] == reverse("members:list")
    assert first.get(reverse("members:list")).status_code == 200

    # The same code cannot be used again, in another session either.
    second = sign_in("officer_a")
    replay = second.post(verify_url, {"code": code})
    assert replay.status_code == 200
    assert second.get(reverse("members:list")).status_code == 302


def test_a_recovery_code_works_once(tree):
    _device, codes = enrol(tree.users["officer_a"])
    client = sign_in("officer_a")
    verify_url = reverse("accounts:two_factor_verify")

    used = client.post(verify_url, {"code": codes[0].lower().replace("-", " ")}, follow=True)
    assert used.status_code == 200
    assert "Recovery codes left: 9" in used.content.decode()

    again = sign_in("officer_a")
    assert again.post(verify_url, {"code": codes[0]}).status_code == 200
    assert again.get(reverse("members:list")).status_code == 302


def test_wrong_codes_are_slowed_down_so_guessing_cannot_succeed(tree):
    device, _codes = enrol(tree.users["officer_a"])
    assert (
        two_factor_check(user=tree.users["officer_a"], code="000000" if app_code(device) != "000000" else "1") is None
    )

    # Right after a failure the device waits: even the right code is refused, with a message saying so.
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        two_factor_check(user=tree.users["officer_a"], code=app_code(device, steps_ahead=1))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_no_page_or_api_call_answers_an_official_who_has_not_passed_the_second_step(endpoint, tree):
    """Every endpoint of the permission matrix (which covers every page and API operation), called in a
    session that passed the password but not the code, holds the user back and changes nothing."""
    ctx = context_for(endpoint, tree)
    user = make_user(role=RoleKind.COMMITTEE_ADMIN, unit=tree.province, username="province_admin")
    enrol(user)
    client = english_client()
    client.force_login(user)  # the password step, without the second one
    before = database_fingerprint()

    response = call(endpoint, client, ctx)

    if endpoint.is_api:
        assert response.status_code == 403
        assert "Two-factor" in response.json()["detail"]
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert database_fingerprint() == before


@pytest.mark.parametrize(
    "name", sorted(name for name in SIGNED_IN_ONLY if ":" in name and name not in SECOND_STEP_PAGES)
)
def test_own_account_pages_also_wait_for_the_second_step(name, tree):
    enrol(tree.users["officer_a"])
    client = Client()
    client.force_login(tree.users["officer_a"])

    response = client.post(reverse(name)) if name not in {"accounts:security"} else client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_setup_page_cannot_replace_a_device_without_the_current_code(tree):
    enrol(tree.users["officer_a"])
    client = Client()
    client.force_login(tree.users["officer_a"])

    response = client.get(reverse("accounts:two_factor_setup"))

    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=tree.users["officer_a"], confirmed=False).exists()


def test_the_second_step_never_redirects_to_another_site(tree):
    device, _codes = enrol(tree.users["officer_a"])
    client = sign_in("officer_a")

    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": app_code(device, 1), "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_a_member_may_turn_it_on_and_off_but_an_officer_may_not_turn_it_off(tree):
    member = tree.users["member_a1"]
    enrol(member)
    assert two_factor_required(member)
    client = sign_in("member_a1")
    assert client.get(reverse("handbook:home"))["Location"].startswith(reverse("accounts:two_factor_verify"))

    two_factor_turn_off(actor=member, user=member)
    member.refresh_from_db()
    assert not member.two_factor_enabled and not TOTPDevice.objects.filter(user=member).exists()
    assert sign_in("member_a1").get(reverse("handbook:home")).status_code == 200

    officer = tree.users["officer_a"]
    enrol(officer)
    with pytest.raises(ValidationError, match="role requires"):
        two_factor_turn_off(actor=officer, user=officer)
    assert User.objects.get(pk=officer.pk).two_factor_enabled


def test_the_security_page_hides_turning_off_from_officers(tree):
    device, _codes = enrol(tree.users["officer_a"])
    client = sign_in("officer_a")
    client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device, 1)})

    page = client.get(reverse("accounts:security")).content.decode()

    assert reverse("accounts:two_factor_off") not in page
    assert "cannot be turned off" in page
    assert client.post(reverse("accounts:two_factor_off")).status_code == 302
    assert User.objects.get(pk=tree.users["officer_a"].pk).two_factor_enabled


def token_request(client: Client, username: str, **extra):
    payload = {"username": username, "password": PASSWORD, "name": "phone", **extra}
    return client.post("/api/auth/token", data=json.dumps(payload), content_type="application/json")


def test_an_api_token_for_an_officer_needs_the_code(tree):
    client = english_client()
    assert token_request(client, "officer_a").status_code == 403  # no device yet: set it up first

    device, _codes = enrol(tree.users["officer_a"])
    missing = token_request(client, "officer_a")
    assert missing.status_code == 401 and "two-factor code" in missing.json()["detail"]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    granted = token_request(client, "officer_a", otp_code=app_code(device, 1))
    assert granted.status_code == 201
    me = Client(headers={"authorization": f"Bearer {granted.json()['token']}"}).get("/api/auth/me")
    assert me.status_code == 200 and me.json()["username"] == "officer_a"

    assert token_request(client, "member_a1").status_code == 201  # members without it: as before


def test_a_reset_for_a_lost_phone_removes_the_devices_ends_the_sessions_and_is_logged(tree):
    officer = tree.users["officer_a"]
    device, _codes = enrol(officer)
    client = sign_in("officer_a")
    client.post(reverse("accounts:two_factor_verify"), {"code": app_code(device, 1)})
    assert client.get(reverse("members:list")).status_code == 200

    call_command(
        "reset_two_factor", "officer_a", reason="Mất điện thoại; đã đối chiếu CCCD tại văn phòng", stdout=io.StringIO()
    )

    officer.refresh_from_db()
    assert not officer.two_factor_enabled and not TOTPDevice.objects.filter(user=officer).exists()
    assert client.get(reverse("members:list"))["Location"].startswith(reverse("accounts:login"))
    # The role still requires it: the next sign-in sets up a new device.
    assert (
        sign_in("officer_a").get(reverse("members:list"))["Location"].startswith(reverse("accounts:two_factor_setup"))
    )
    entry = ChangeLog.objects.for_object(officer).latest("pk")
    assert "đối chiếu CCCD" in entry.reason and entry.source == "command"


def test_only_someone_managing_roles_over_the_users_units_may_reset(tree):
    enrol(tree.users["officer_a"])

    with pytest.raises(PermissionDenied):
        two_factor_reset(actor=tree.users["officer_b"], user=tree.users["officer_a"], reason="Mất điện thoại")
    with pytest.raises(ValidationError):
        two_factor_reset(actor=None, user=tree.users["officer_a"], reason=" ")
    assert User.objects.get(pk=tree.users["officer_a"].pk).two_factor_enabled

    two_factor_reset(actor=tree.users["admin_a"], user=tree.users["officer_a"], reason="Mất điện thoại")
    assert not User.objects.get(pk=tree.users["officer_a"].pk).two_factor_enabled
