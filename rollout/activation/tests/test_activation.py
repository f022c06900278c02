"""Activating a member's account: slips, codes (expiry, single use, brute force), SMS, secretary reset, supporter."""

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.activation_codes import activation_code_check, code_hash
from accounts.choices import ActivationChannel
from accounts.models import AccountUse, ActivationCode, User
from accounts.tests.factories import make_user
from members.choices import MemberStatus
from members.services import member_update
from members.tests.factories import make_member
from rollout.activation.services import (
    account_activate_by_supporter,
    account_activate_with_code,
    activation_code_reset,
    activation_slips_issue,
    activation_sms_send,
)
from rollout.models import HelpSession, Team, TeamMember
from rollout.selectors import unit_figures

NEW_PASSWORD = "Mat-khau-moi-cua-toi-2026"


def slip_for(tree, member):
    slips = activation_slips_issue(actor=tree.users["secretary_a1"], cell=member.unit)
    return next(slip for slip in slips if slip.member == member)


def test_printing_a_cells_slips_creates_waiting_accounts_without_a_usable_password(tree):
    member = make_member(unit=tree.cell_a1)

    slip = slip_for(tree, member)

    user = User.objects.get(member=member)
    assert not user.has_usable_password()
    assert user.activated_at is None
    assert slip.username == member.card_number


def test_codes_are_stored_only_as_a_keyed_hash(tree):
    member = make_member(unit=tree.cell_a1)

    slip = slip_for(tree, member)

    stored = ActivationCode.objects.get(user__member=member)
    assert slip.code not in stored.code_hash
    assert stored.code_hash == code_hash(stored.user_id, slip.code)


def test_slips_are_only_for_members_of_cells_the_secretary_may_change(tree):
    with pytest.raises(PermissionDenied):
        activation_slips_issue(actor=tree.users["secretary_a1"], cell=tree.cell_a2)


def test_a_member_activates_with_the_slip_code_and_a_new_password(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)

    code = activation_code_check(identifier=member.card_number, code=slip.code.lower().replace("-", " "))
    user = account_activate_with_code(code=code, password=NEW_PASSWORD)

    assert user.activated_at is not None
    assert user.check_password(NEW_PASSWORD)
    use = AccountUse.objects.get(user=user)
    assert use.activation_channel == ActivationChannel.SLIP_CODE
    assert use.activated_with_help_of == tree.users["secretary_a1"]
    assert use.first_used_at is not None
    assert unit_figures(unit=tree.commune_a).activated == 1


def test_a_code_works_only_once(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)
    account_activate_with_code(
        code=activation_code_check(identifier=member.card_number, code=slip.code), password=NEW_PASSWORD
    )

    with pytest.raises(ValidationError):
        activation_code_check(identifier=member.card_number, code=slip.code)


def test_an_expired_code_is_refused(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)
    ActivationCode.objects.filter(user__member=member).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(ValidationError):
        activation_code_check(identifier=member.card_number, code=slip.code)


def test_printing_new_slips_replaces_the_earlier_codes(tree):
    member = make_member(unit=tree.cell_a1)
    first = slip_for(tree, member)
    second = slip_for(tree, member)

    with pytest.raises(ValidationError):
        activation_code_check(identifier=member.card_number, code=first.code)
    assert activation_code_check(identifier=member.card_number, code=second.code)


@override_settings(ACTIVATION_FAILURE_LIMIT=3)
def test_after_too_many_wrong_codes_even_the_right_code_is_refused_for_a_while(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)
    for _attempt in range(3):
        with pytest.raises(ValidationError):
            activation_code_check(identifier=member.card_number, code="AAAAA-AAAAA")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        activation_code_check(identifier=member.card_number, code=slip.code)

    assert refused.value.messages == ["Too many wrong codes. Try again in 15 minutes."]


@override_settings(ACTIVATION_FAILURE_LIMIT=3)
def test_identifiers_that_name_nobody_are_locked_out_the_same_way(tree):
    for _attempt in range(3):
        with pytest.raises(ValidationError):
            activation_code_check(identifier="99999999", code="AAAAA-AAAAA")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        activation_code_check(identifier="99999999", code="AAAAA-AAAAA")

    assert "Too many wrong codes" in refused.value.messages[0]


def test_a_member_who_has_died_can_never_be_activated_even_with_a_code(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)
    code = activation_code_check(identifier=member.card_number, code=slip.code)
    member_update(
        actor=None, member=member, data={"status": MemberStatus.DECEASED, "died_on": datetime.date(2026, 2, 1)}
    )

    with pytest.raises(ValidationError):
        account_activate_with_code(code=code, password=NEW_PASSWORD)

    assert User.objects.get(member=member).activated_at is None


class RecordingGateway:
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        RecordingGateway.sent.append((phone, text))


@override_settings(SMS_GATEWAY="rollout.activation.tests.test_activation.RecordingGateway")
def test_the_sms_code_goes_through_the_gateway_when_card_birth_date_and_phone_match(tree):
    RecordingGateway.sent = []
    member = make_member(unit=tree.cell_a1)

    activation_sms_send(card_number=member.card_number, date_of_birth=member.date_of_birth, phone=member.phone)

    [(phone, text)] = RecordingGateway.sent
    code = next(word.strip(".") for word in text.split() if word.strip(".").isdigit() and len(word.strip(".")) == 6)
    assert phone == member.phone
    assert activation_code_check(identifier=member.card_number, code=code).channel == ActivationChannel.SMS


def test_the_default_gateway_writes_the_sms_to_the_log(tree, caplog):
    member = make_member(unit=tree.cell_a1)

    with caplog.at_level(logging.INFO, logger="sotay.sms"):
        activation_sms_send(card_number=member.card_number, date_of_birth=member.date_of_birth, phone=member.phone)

    assert [record.getMessage() for record in caplog.records if record.name == "sotay.sms"][0].startswith(
        f"SMS to {member.phone}: "
    )


def test_no_sms_is_sent_when_the_date_of_birth_does_not_match(tree, caplog):
    member = make_member(unit=tree.cell_a1)

    with caplog.at_level(logging.INFO, logger="sotay.sms"):
        activation_sms_send(
            card_number=member.card_number,
            date_of_birth=member.date_of_birth + datetime.timedelta(days=1),
            phone=member.phone,
        )

    assert not [record for record in caplog.records if record.name == "sotay.sms"]
    assert not ActivationCode.objects.filter(user__member=member).exists()


def test_a_secretary_reset_stops_the_old_password_and_gives_a_new_code(tree):
    user = tree.users["member_a1"]

    slip = activation_code_reset(actor=tree.users["secretary_a1"], member=tree.member_a1)

    user.refresh_from_db()
    assert not user.has_usable_password()
    code = activation_code_check(identifier=slip.username, code=slip.code)
    assert code.channel == ActivationChannel.SECRETARY_RESET


def test_a_supporter_activates_with_the_member_present_and_it_counts_as_a_help_session(tree):
    team = Team.objects.create(name="Tổ hỗ trợ", unit=tree.commune_a)
    supporter = make_user(username="supporter")
    TeamMember.objects.create(team=team, user=supporter, affiliation="youth_union")

    user = account_activate_by_supporter(
        actor=supporter, team=team, member=tree.member_a2, password=NEW_PASSWORD, has_consent=True, place="home"
    )

    assert user.activated_at is not None
    assert AccountUse.objects.get(user=user).activated_with_help_of == supporter
    assert HelpSession.objects.get().has_consent is True
    figures = unit_figures(unit=tree.commune_a)
    assert (figures.activated, figures.help_sessions) == (1, 1)


def test_a_supporter_cannot_activate_without_the_members_consent(tree):
    team = Team.objects.create(name="Tổ hỗ trợ", unit=tree.commune_a)
    supporter = make_user(username="supporter")
    TeamMember.objects.create(team=team, user=supporter, affiliation="youth_union")

    with pytest.raises(ValidationError):
        account_activate_by_supporter(
            actor=supporter, team=team, member=tree.member_a2, password=NEW_PASSWORD, has_consent=False, place="home"
        )

    assert not User.objects.filter(member=tree.member_a2, activated_at__isnull=False).exists()


def test_the_whole_activation_in_the_browser_ends_signed_in_on_the_home_page(tree):
    member = make_member(unit=tree.cell_a1)
    slip = slip_for(tree, member)
    client = Client()

    response = client.post(reverse("activation:activate"), {"identifier": member.card_number, "code": slip.code})
    assert response["Location"] == reverse("activation:activate_password")
    response = client.post(
        reverse("activation:activate_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("handbook:my_record")).status_code == 200


def test_the_printed_slips_page_shows_each_code_once_with_a_qr_code(tree):
    make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng")
    client = Client()
    client.force_login(tree.users["secretary_a1"])

    response = client.post(reverse("activation:activation_slips", args=["XA-C1"]), follow=True)
    again = client.get(reverse("activation:activation_slips", args=["XA-C1"]))

    page = response.content.decode()
    assert "Phạm Văn Dũng" in page and "data:image/svg+xml" in page
    assert "Phạm Văn Dũng" not in again.content.decode()


def test_the_installed_app_reports_itself_once(tree):
    from common.tests.api import api_client

    client = api_client(tree.users["member_a1"])

    first = client.post("/api/rollout/installed").json()["app_installed_at"]
    second = client.post("/api/rollout/installed").json()["app_installed_at"]

    assert first == second
    assert AccountUse.objects.get(user=tree.users["member_a1"]).app_installed_at is not None
