"""However an identifier is spelt (case, spaces, +84/84/0, repeated +, full-width digits), it names one account,
and the password lock-out and the activation-code limit count per account, not per typed string (issue 19)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.activation_codes import activation_code_check
from accounts.backends import find_user_by_identifier, throttle_key
from accounts.models import ActivationThrottle, ApiToken
from accounts.tests.factories import PASSWORD
from common.text import canonical_identifier
from members.tests.factories import make_member
from members.tests.strategies import PROPERTY_SETTINGS
from rollout.activation.services import activation_slips_issue, activation_sms_send

LOGIN_URL = reverse("accounts:login")
WRONG = "not-the-password"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def phone_spellings(phone: str) -> list[str]:
    """The ways the attacker probe typed one phone number, and a few more."""
    national = phone[1:]
    return [
        phone,
        f"+{phone}",
        f"++{phone}",
        f"+++{phone}",
        f"84{national}",
        f"+84{national}",
        f"+84 {national[:2]} {national[2:5]} {national[5:]}",
        f"+840{national}",
        f"{phone[:4]}.{phone[4:7]}.{phone[7:]}",
        f" {phone} ",
        phone.translate(FULL_WIDTH),
    ]


def citizen_id_spellings(citizen_id: str) -> list[str]:
    return [
        citizen_id,
        f"{citizen_id[:4]} {citizen_id[4:]}",
        " ".join([citizen_id[:3], citizen_id[3:6], citizen_id[6:]]),
    ]


USERNAME_SPELLINGS = ["member_a1", "MEMBER_A1", "Member_A1", " member_a1", "member_a1 ", "mEmBeR_a1\t"]


def all_spellings(member) -> list[str]:
    return USERNAME_SPELLINGS + phone_spellings(member.phone) + citizen_id_spellings(member.citizen_id)


def sign_in(identifier: str, password: str):
    return Client().post(LOGIN_URL, {"username": identifier, "password": password})


def obtain_token(identifier: str, password: str):
    return Client().post(
        "/api/auth/token",
        {"username": identifier, "password": password, "name": "laptop"},
        content_type="application/json",
    )


@st.composite
def respelt(draw, identifier: str):
    """`identifier` with random case, spaces anywhere and, for a phone, any country-code prefix."""
    if identifier.isdigit() and identifier.startswith("0") and len(identifier) == 10:
        prefix = draw(st.sampled_from(["", "+", "++", "+++", "84", "+84", "+84 ", "+840", "84 0"]))
        identifier = prefix + (identifier[1:] if prefix.strip().lstrip("+").startswith("84") else identifier)
    characters = []
    for character in identifier:
        if draw(st.booleans()):
            character = character.swapcase()
        characters.append(character + draw(st.sampled_from(["", "", " ", "  ", "\u00a0"])))
    return draw(st.sampled_from(["", " ", "\t"])) + "".join(characters)


# One spelling, one account


def test_every_spelling_names_the_same_account_and_the_same_counter(tree):
    user = tree.users["member_a1"]

    for spelling in all_spellings(tree.member_a1):
        assert find_user_by_identifier(spelling) == user, spelling
        assert throttle_key(spelling) == user.username, spelling


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(data=st.data(), which=st.sampled_from(["username", "phone", "citizen_id"]))
def test_any_random_respelling_of_an_identifier_counts_against_its_account(tree, data, which):
    user = tree.users["member_a1"]
    identifier = {"username": "member_a1", "phone": tree.member_a1.phone, "citizen_id": tree.member_a1.citizen_id}

    spelling = data.draw(respelt(identifier[which]))

    assert throttle_key(spelling) == user.username


def test_spellings_of_an_identifier_that_names_nobody_share_one_key():
    keys = {canonical_identifier(spelling) for spelling in phone_spellings("0999888777")}

    assert keys == {"0999888777"}


# Password lock-out


def test_failures_with_mixed_spellings_lock_the_web_sign_in_for_every_spelling(tree):
    spellings = all_spellings(tree.member_a1)
    limit = settings.AXES_FAILURE_LIMIT
    failures = [sign_in(spelling, WRONG).status_code for spelling in spellings[:limit]]
    # The failure that reaches the limit is already answered with the lock-out.
    assert failures == [200] * (limit - 1) + [429]

    answers = {spelling: sign_in(spelling, PASSWORD).status_code for spelling in spellings}

    assert set(answers.values()) == {429}, answers


def test_failures_with_mixed_spellings_lock_the_token_endpoint_for_every_spelling(tree):
    spellings = all_spellings(tree.member_a1)
    limit = settings.AXES_FAILURE_LIMIT
    failures = [obtain_token(spelling, WRONG).status_code for spelling in spellings[-limit:]]
    assert failures == [401] * (limit - 1) + [429]

    answers = {spelling: obtain_token(spelling, PASSWORD).status_code for spelling in spellings}

    assert set(answers.values()) == {429}, answers
    assert not ApiToken.objects.exists()


def test_failures_on_the_web_lock_the_api_too_and_the_other_accounts_stay_open(tree):
    phone = tree.member_a1.phone
    for spelling in ["MEMBER_A1", "member_A1", phone, "+84" + phone[1:], "Member_a1 ", "++" + phone][
        : settings.AXES_FAILURE_LIMIT
    ]:
        sign_in(spelling, WRONG)

    assert obtain_token("MEMBER_A1", PASSWORD).status_code == 429
    assert obtain_token("officer_a", PASSWORD).status_code == 201


def test_one_failure_short_of_the_limit_the_right_password_still_signs_in_and_clears_the_count(tree):
    spellings = all_spellings(tree.member_a1)
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        sign_in(spelling, WRONG)

    assert sign_in(" MEMBER_a1", PASSWORD).status_code == 302
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        sign_in(spelling, WRONG)
    assert sign_in(tree.member_a1.citizen_id, PASSWORD).status_code == 302


# Activation codes


def waiting_member_with_slip(tree):
    member = make_member(unit=tree.cell_a1)
    slips = activation_slips_issue(actor=tree.users["secretary_a1"], cell=member.unit)
    return member, next(slip for slip in slips if slip.member == member)


def activation_spellings(member) -> list[str]:
    return [member.card_number, f"{member.card_number[:4]} {member.card_number[4:]}"] + (
        phone_spellings(member.phone) + citizen_id_spellings(member.citizen_id)
    )


@override_settings(ACTIVATION_FAILURE_LIMIT=5)
def test_wrong_codes_through_any_identifier_lock_the_account_for_every_identifier(tree):
    member, slip = waiting_member_with_slip(tree)
    spellings = activation_spellings(member)
    for spelling in spellings[:5]:
        with pytest.raises(ValidationError):
            activation_code_check(identifier=spelling, code="AAAAA-AAAAA")

    for spelling in spellings:
        with pytest.raises(ValidationError) as refused:
            activation_code_check(identifier=spelling, code=slip.code)
        assert "Too many wrong codes" in refused.value.messages[0], spelling


@override_settings(ACTIVATION_FAILURE_LIMIT=5)
def test_the_right_code_through_plus_plus_plus_phone_is_refused_once_the_card_number_is_locked(tree):
    member, slip = waiting_member_with_slip(tree)
    for _attempt in range(5):
        with pytest.raises(ValidationError):
            activation_code_check(identifier=member.card_number, code="AAAAA-AAAAA")

    with pytest.raises(ValidationError):
        activation_code_check(identifier=f"+++{member.phone}", code=slip.code)


@override_settings(ACTIVATION_FAILURE_LIMIT=3)
def test_sms_mismatches_and_wrong_codes_count_against_the_same_account(tree):
    member, slip = waiting_member_with_slip(tree)
    for _attempt in range(2):
        activation_sms_send(
            card_number=f" {member.card_number}", date_of_birth=member.date_of_birth, phone="0900000000"
        )
    with pytest.raises(ValidationError):
        activation_code_check(identifier="+84" + member.phone[1:], code="AAAAA-AAAAA")

    with pytest.raises(ValidationError) as refused:
        activation_code_check(identifier=member.citizen_id, code=slip.code)

    assert "Too many wrong codes" in refused.value.messages[0]


@override_settings(ACTIVATION_FAILURE_LIMIT=3)
def test_respelling_an_identifier_that_names_nobody_gets_no_fresh_tries(db):
    spellings = phone_spellings("0999888777")
    for spelling in spellings[:3]:
        with pytest.raises(ValidationError):
            activation_code_check(identifier=spelling, code="AAAAA-AAAAA")

    for spelling in spellings:
        with pytest.raises(ValidationError) as refused:
            activation_code_check(identifier=spelling, code="AAAAA-AAAAA")
        assert "Too many wrong codes" in refused.value.messages[0], spelling


def test_a_correct_code_through_another_spelling_activates_when_nothing_is_locked(tree):
    member, slip = waiting_member_with_slip(tree)

    code = activation_code_check(identifier=f"++84 {member.phone[1:]}", code=slip.code.lower())

    assert code.user.member == member


# Source addresses: a much higher limit than one account's, shared by every account tried from the address


OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def sign_in_from(address: str, identifier: str, password: str):
    return Client(REMOTE_ADDR=address).post(LOGIN_URL, {"username": identifier, "password": password})


def token_from(address: str, identifier: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        "/api/auth/token",
        {"username": identifier, "password": password, "name": "laptop"},
        content_type="application/json",
    )


@override_settings(ADDRESS_FAILURE_LIMIT=4)
def test_guesses_spread_over_many_accounts_lock_their_source_address_and_no_other(tree):
    for guessed in ["officer_a", "officer_b", "admin_a", "nobody-at-all"]:
        assert sign_in_from(OFFICE, guessed, WRONG).status_code == 200  # the form again, no account locked

    assert sign_in_from(OFFICE, "member_a1", PASSWORD).status_code == 429
    assert token_from(OFFICE, "member_a1", PASSWORD).status_code == 429
    assert sign_in_from(ELSEWHERE, "member_a1", PASSWORD).status_code == 302


@override_settings(ADDRESS_FAILURE_LIMIT=4)
def test_an_office_below_the_address_limit_still_signs_in(tree):
    for guessed in ["officer_a", "officer_b", "admin_a"]:
        sign_in_from(OFFICE, guessed, WRONG)

    assert sign_in_from(OFFICE, "member_a1", PASSWORD).status_code == 302


@override_settings(ADDRESS_FAILURE_LIMIT=3, ACTIVATION_FAILURE_LIMIT=5)
def test_wrong_codes_spread_over_many_accounts_lock_their_source_address_and_no_other(tree):
    member, slip = waiting_member_with_slip(tree)
    for identifier in ["00000001", "00000002", "00000003"]:
        with pytest.raises(ValidationError):
            activation_code_check(identifier=identifier, code="AAAAA-AAAAA", address=OFFICE)

    with pytest.raises(ValidationError) as refused:
        activation_code_check(identifier=member.card_number, code=slip.code, address=OFFICE)
    assert "Too many wrong codes" in refused.value.messages[0]
    assert activation_code_check(identifier=member.card_number, code=slip.code, address=ELSEWHERE).user.member == member


@override_settings(ADDRESS_FAILURE_LIMIT=2, ACTIVATION_FAILURE_LIMIT=5)
def test_the_activation_page_counts_by_the_client_address(tree):
    member, slip = waiting_member_with_slip(tree)
    for identifier in ["00000001", "00000002"]:
        Client(REMOTE_ADDR=OFFICE).post(
            reverse("activation:activate"), {"identifier": identifier, "code": "AAAAA-AAAAA"}
        )

    refused = Client(REMOTE_ADDR=OFFICE).post(
        reverse("activation:activate"), {"identifier": member.card_number, "code": slip.code}
    )
    accepted = Client(REMOTE_ADDR=ELSEWHERE).post(
        reverse("activation:activate"), {"identifier": member.card_number, "code": slip.code}
    )

    assert refused.status_code == 200  # the form again, with the lock-out message
    assert ActivationThrottle.objects.get(identifier=f"address:{OFFICE}").locked_until > timezone.now()
    assert accepted.status_code == 302
