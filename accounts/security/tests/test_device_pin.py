"""A member signs in on their own phone with a 6-digit PIN; the PIN is useless on any other device."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import DevicePin
from accounts.security.device_pin import DEVICE_COOKIE, device_pin_set, device_pin_sign_in
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from common.tests.clients import english_client

PIN = "480317"


def phone_of(user) -> Client:
    """The member's phone: signed in with the password, then a PIN chosen on the Security page."""
    client = english_client()
    client.force_login(user)
    response = client.post(reverse("accounts:device_pin"), {"pin": PIN, "pin_again": PIN})
    assert response.status_code == 302, response.content[:400]
    client.post(reverse("accounts:logout"))
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("handbook:my_record")).status_code == 200


def test_on_her_phone_a_member_picks_her_name_types_the_pin_and_is_in(tree):
    phone = phone_of(tree.users["member_a1"])
    assert not signed_in(phone)

    page = phone.get(reverse("accounts:login")).content.decode()
    assert "With your PIN" in page and tree.users["member_a1"].get_full_name() in page
    response = phone.post(reverse("accounts:pin_sign_in"), {"user": tree.users["member_a1"].pk, "pin": PIN})

    assert response.status_code == 302
    assert signed_in(phone)
    assert DevicePin.objects.get().last_used_at is not None
    assert ChangeLog.objects.for_object(tree.users["member_a1"]).filter(reason__contains="PIN").count() == 1
    assert PIN not in DevicePin.objects.get().pin_hash


def test_the_pin_does_nothing_on_another_device(tree):
    phone_of(tree.users["member_a1"])
    other = Client()

    assert "With your PIN" not in other.get(reverse("accounts:login")).content.decode()
    other.post(reverse("accounts:pin_sign_in"), {"user": tree.users["member_a1"].pk, "pin": PIN})
    assert not signed_in(other)
    # Even someone who copied the cookie's name with another value gets nothing.
    other.cookies[DEVICE_COOKIE] = "made-up"
    other.post(reverse("accounts:pin_sign_in"), {"user": tree.users["member_a1"].pk, "pin": PIN})
    assert not signed_in(other)


def test_five_wrong_pins_stop_the_pin_and_the_password_is_needed(tree):
    phone = phone_of(tree.users["member_a1"])
    key = phone.cookies[DEVICE_COOKIE].value
    user_id = tree.users["member_a1"].pk

    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"{left} tr"):
            device_pin_sign_in(device_key=key, user_id=user_id, pin="000000")
    with pytest.raises(ValidationError, match="no longer works"):
        device_pin_sign_in(device_key=key, user_id=user_id, pin="000000")
    with pytest.raises(ValidationError, match="password"):
        device_pin_sign_in(device_key=key, user_id=user_id, pin=PIN)
    assert DevicePin.objects.get().revoked_at is not None


def test_a_right_pin_resets_the_count_of_wrong_ones(tree):
    phone = phone_of(tree.users["member_a1"])
    key = phone.cookies[DEVICE_COOKIE].value
    user_id = tree.users["member_a1"].pk
    for _ in range(4):
        with pytest.raises(ValidationError):
            device_pin_sign_in(device_key=key, user_id=user_id, pin="000000")

    assert device_pin_sign_in(device_key=key, user_id=user_id, pin=PIN) == tree.users["member_a1"]
    assert DevicePin.objects.get().failures == 0


@pytest.mark.parametrize("pin", ["111111", "123456", "987654", "12345", "abcdef", "١٢٣٤٥٦"])
def test_guessable_or_malformed_pins_are_refused(tree, pin):
    with pytest.raises(ValidationError):
        device_pin_set(user=tree.users["member_a1"], pin=pin, pin_again=pin)
    assert not DevicePin.objects.exists()


def test_the_members_birth_date_and_phone_are_refused_as_pins(tree):
    member = tree.member_a1
    born = f"{member.date_of_birth:%d%m%y}"
    for pin in [born, (member.phone or "0912480317")[-6:]] if member.phone else [born]:
        with pytest.raises(ValidationError):
            device_pin_set(user=tree.users["member_a1"], pin=pin, pin_again=pin)
    with pytest.raises(ValidationError) as raised:
        device_pin_set(user=tree.users["member_a1"], pin=PIN, pin_again="480318")
    assert "pin_again" in raised.value.message_dict


def test_two_family_members_share_a_phone_each_with_a_pin(tree):
    phone = phone_of(tree.users["member_a1"])
    spouse = make_user(username="ba_binh", member=tree.member_a2, first_name="Bình", last_name="Trần Thị")
    _entry, key = device_pin_set(
        user=spouse, pin="730591", pin_again="730591", device_key=phone.cookies[DEVICE_COOKIE].value
    )

    assert key == phone.cookies[DEVICE_COOKIE].value
    page = phone.get(reverse("accounts:login")).content.decode()
    assert "Trần Thị Bình" in page and tree.users["member_a1"].get_full_name() in page
    phone.post(reverse("accounts:pin_sign_in"), {"user": spouse.pk, "pin": PIN})
    assert not signed_in(phone)  # her PIN is not his


def test_two_factor_users_cannot_use_a_pin(tree, settings):
    settings.TWO_FACTOR_ENFORCED = True

    with pytest.raises(ValidationError, match="two-factor"):
        device_pin_set(user=tree.users["officer_a"], pin=PIN, pin_again=PIN)


def test_signing_out_everywhere_stops_the_pins_of_other_phones_but_not_this_one(tree):
    user = tree.users["member_a1"]
    lost = phone_of(user)
    here = phone_of(user)
    here.force_login(user)

    here.post(reverse("accounts:sign_out_elsewhere"))

    assert (
        DevicePin.objects.usable().get().device_key_hash
        != DevicePin.objects.exclude(revoked_at=None).get().device_key_hash
    )
    lost.post(reverse("accounts:pin_sign_in"), {"user": user.pk, "pin": PIN})
    assert not signed_in(lost)
