"""The correction pages and API operations, for the permission matrix (common/tests/matrix.py).

Everything acts on member A1 (cell XA-C1 of commune A). Their request for a new hometown waits for
the cell, so a committee role on the province (an ancestor) may confirm it.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from common.tests.matrix import LIST, READ, WRITE, api, page


def with_request(tree):
    from corrections.services import correction_request_create

    [request] = correction_request_create(
        actor=tree.users["member_a1"], member=tree.member_a1, changes={"hometown": "Xã Tân Lập"}, reason="Sai quê"
    )
    return {"request": request}


def with_paper(tree):
    import tempfile

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    if not str(settings.MEDIA_ROOT).startswith(tempfile.gettempdir()):
        # The matrix has no fixture to lend a folder: keep test papers out of the project's media folder
        # for the rest of this test process (sotay/settings/test.py could set a temporary MEDIA_ROOT instead).
        override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="sotay-test-media-")).enable()  # noqa: S108

    from corrections.services import correction_request_create

    [request] = correction_request_create(
        actor=tree.users["member_a1"],
        member=tree.member_a1,
        changes={"religion": "Không"},
        reason="Sai",
        attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")],
    )
    return {"paper": request.attachments.get()}


def with_applied_request(tree):
    from corrections.services import correction_request_create

    correction_request_create(
        actor=tree.users["officer_a"], member=tree.member_a1, changes={"unit": tree.cell_a2}, reason="Chuyển thôn"
    )
    return {}


def with_campaign(tree):
    from corrections.campaigns import campaign_create

    day = timezone.localdate()
    campaign = campaign_create(
        actor=tree.users["officer_a"],
        unit=tree.commune_a,
        title="Xác nhận nơi sinh hoạt",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=30),
    )
    return {"campaign": campaign}


ENDPOINTS = [
    page(
        "corrections:member_search",
        LIST,
        "get",
        lambda c: reverse("corrections:member_search") + "?q=nguyen+van+an",
        hidden_text="Nguyễn Văn An",
    ),
    # Everyone signed in has a record page of their own; it must show nobody else's.
    page("corrections:my_record", READ, "get", lambda c: reverse("corrections:my_record"), hidden_text="Nguyễn Văn An"),
    page(
        "corrections:member_record", READ, "get", lambda c: reverse("corrections:member_record", args=[c.member_a1.pk])
    ),
    page(
        "corrections:verify",
        WRITE,
        "post",
        lambda c: reverse("corrections:verify", args=[c.member_a1.pk]),
        lambda c: {"section": "identity"},
    ),
    page(
        "corrections:request",
        WRITE,
        "post",
        lambda c: reverse("corrections:request", args=[c.member_a1.pk, "identity"]),
        lambda c: {
            "full_name": c.member_a1.full_name,
            "sex": c.member_a1.sex,
            "date_of_birth": c.member_a1.date_of_birth.isoformat(),
            "ethnicity": c.member_a1.ethnicity,
            "citizen_id": c.member_a1.citizen_id,
            "hometown": "Xã Tân Lập",
            "reason": "Sai quê",
        },
    ),
    page(
        "corrections:queue",
        LIST,
        "get",
        lambda c: reverse("corrections:queue"),
        prepare=with_request,
        hidden_text="Nguyễn Văn An",
        ancestor_role="committee_officer",
    ),
    page(
        "corrections:detail",
        READ,
        "get",
        lambda c: reverse("corrections:detail", args=[c.request.pk]),
        prepare=with_request,
    ),
    page(
        "corrections:decide",
        WRITE,
        "post",
        lambda c: reverse("corrections:decide", args=[c.request.pk]),
        lambda c: {"decision": "confirm"},
        prepare=with_request,
    ),
    page(
        "corrections:bulk",
        WRITE,
        "post",
        lambda c: reverse("corrections:bulk"),
        lambda c: {"requests": [c.request.pk], "decision": "confirm"},
        prepare=with_request,
    ),
    page(
        "corrections:attachment",
        READ,
        "get",
        lambda c: reverse("corrections:attachment", args=[c.paper.pk]),
        prepare=with_paper,
        ancestor_role="committee_officer",
    ),
    page(
        "corrections:change_file",
        READ,
        "get",
        lambda c: (
            f"{reverse('corrections:change_file')}?unit=XA&start={localdate().isoformat()}&end={localdate().isoformat()}"
            "&purpose=doi-chieu"
        ),
        prepare=with_applied_request,
    ),
    page("corrections:figures", READ, "get", lambda c: f"{reverse('corrections:figures')}?unit=XA"),
    api(
        "get",
        "/corrections/requests",
        LIST,
        lambda c: "/api/corrections/requests",
        prepare=with_request,
        hidden_text="Xã Tân Lập",
    ),
    api(
        "post",
        "/corrections/requests",
        WRITE,
        lambda c: "/api/corrections/requests",
        lambda c: {"member_id": c.member_a1.pk, "changes": {"hometown": "Xã Tân Lập"}, "reason": "Sai quê"},
    ),
    api(
        "post",
        "/corrections/requests/with-papers",
        WRITE,
        lambda c: "/api/corrections/requests/with-papers",
        lambda c: {
            "member_id": c.member_a1.pk,
            "changes": '{"hometown": "Xã Tân Lập"}',
            "reason": "Sai quê",
            "attachments": [SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")],
        },
        multipart=True,
    ),
    api(
        "get",
        "/corrections/requests/{request_id}",
        READ,
        lambda c: f"/api/corrections/requests/{c.request.pk}",
        prepare=with_request,
    ),
    api(
        "post",
        "/corrections/requests/{request_id}/decide",
        WRITE,
        lambda c: f"/api/corrections/requests/{c.request.pk}/decide",
        lambda c: {"decision": "confirm"},
        prepare=with_request,
    ),
    api(
        "get",
        "/corrections/queue",
        LIST,
        lambda c: "/api/corrections/queue",
        prepare=with_request,
        hidden_text="Xã Tân Lập",
        ancestor_role="committee_officer",
    ),
    api(
        "post",
        "/corrections/members/{member_id}/verify",
        WRITE,
        lambda c: f"/api/corrections/members/{c.member_a1.pk}/verify",
        lambda c: {"sections": ["identity"]},
    ),
    page(
        "corrections:campaigns",
        LIST,
        "get",
        lambda c: reverse("corrections:campaigns"),
        prepare=with_campaign,
        hidden_text="Xác nhận nơi sinh hoạt",
    ),
    page(
        "corrections:campaign",
        READ,
        "get",
        lambda c: reverse("corrections:campaign", args=[c.campaign.pk]),
        prepare=with_campaign,
    ),
    page(
        "corrections:campaign_answer",
        WRITE,
        "post",
        lambda c: reverse("corrections:campaign_answer", args=[c.campaign.pk, c.member_a1.pk]),
        lambda c: {"answer": "yes"},
        prepare=with_campaign,
    ),
]

# Starting a campaign is the same page's form.
ENDPOINTS.append(
    page(
        "corrections:campaigns",
        WRITE,
        "post",
        lambda c: reverse("corrections:campaigns"),
        lambda c: {
            "unit": "XA",
            "title": "Đợt xác nhận",
            "starts_on": localdate().isoformat(),
            "ends_on": localdate().isoformat(),
        },
    )
)
