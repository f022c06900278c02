"""The secretary's activation pages, for the permission matrix. The member's own activation pages are
public (no account is usable before activation): accounts:activate, accounts:activate_password,
accounts:activate_sms, and POST /api/rollout/installed acts on the caller's own account only."""

from django.urls import reverse

from common.tests.matrix import WRITE, page

ENDPOINTS = [
    page("accounts:activation_slips", WRITE, "post", lambda c: reverse("accounts:activation_slips", args=["XA-C1"])),
    page(
        "accounts:activation_reset",
        WRITE,
        "post",
        lambda c: reverse("accounts:activation_reset", args=[c.member_a2.pk]),
    ),
]

# Activation is how a member without a usable password gets one: these pages must be reachable signed out.
PUBLIC = ["accounts:activate", "accounts:activate_password", "accounts:activate_sms"]
