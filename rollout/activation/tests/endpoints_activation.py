"""The secretary's activation pages and the slips of an import's members, for the permission matrix. The member's
own activation pages are public (no account is usable before activation): activation:activate, activation:activate_password,
activation:activate_sms, and POST /api/rollout/installed acts on the caller's own account only."""

from django.urls import reverse

from common.tests.matrix import WRITE, page
from members.importing.tests.endpoints_import import committed_job

ENDPOINTS = [
    page(
        "activation:activation_slips", WRITE, "post", lambda c: reverse("activation:activation_slips", args=["XA-C1"])
    ),
    page(
        "activation:activation_reset",
        WRITE,
        "post",
        lambda c: reverse("activation:activation_reset", args=[c.member_a2.pk]),
    ),
    page(
        "activation:import_slips",
        WRITE,
        "post",
        lambda c: reverse("activation:import_slips", args=[c.job.pk]),
        lambda c: {},
        prepare=committed_job,
    ),
]

# Activation is how a member without a usable password gets one: these pages must be reachable signed out.
PUBLIC = ["activation:activate", "activation:activate_password", "activation:activate_sms"]
