"""The reports pages and API operations, for the permission matrix (common/tests/matrix.py).

Everything is in commune A: a template prescribed by commune A, a campaign commune A issued to its cells
(cell XA-C1's report is filed, ready for review), and for compiling, the province's campaign to the
communes with commune A's own campaign for it. Report roles are needed, so the ancestor is a committee
officer (reads) or administrator (writes) on the province.
"""

import datetime

from django.urls import reverse
from django.utils.timezone import localdate as today

from accounts.choices import RoleKind
from common.tests.matrix import LIST, READ, WRITE, api, page

OFFICER = RoleKind.COMMITTEE_OFFICER
TEMPLATE_TITLE = "Mẫu báo cáo riêng của xã A"
CAMPAIGN_TITLE = "Đợt báo cáo của xã A"
FIELDS = [
    {"key": "members", "kind": "indicator"},
    {"key": "households", "kind": "number", "label": "Hộ được hỗ trợ"},
    {"key": "difficulties", "kind": "text", "label": "Khó khăn"},
]


def _template(tree, unit=None):
    from reports.services import template_create

    return template_create(
        actor=None,
        unit=unit or tree.commune_a,
        code=f"BC-{(unit or tree.commune_a).code}",
        title=TEMPLATE_TITLE,
        fields=FIELDS,
    )


def _campaign(tree, unit, template, target_kind, parent=None):
    from reports.services import campaign_issue

    return campaign_issue(
        actor=None,
        unit=unit,
        template=template,
        title=CAMPAIGN_TITLE,
        target_tree="units",
        target_kind=target_kind,
        period_start=today().replace(day=1),
        period_end=today(),
        cutoff_on=today(),
        deadline=today() + datetime.timedelta(days=5),
        parent=parent,
    )


def with_template(tree) -> dict:
    return {"template": _template(tree)}


def with_campaign(tree) -> dict:
    template = _template(tree)
    campaign = _campaign(tree, tree.commune_a, template, "attached_cell")
    report = campaign.submissions.get(target_unit=tree.cell_a1)
    return {"template": template, "campaign": campaign, "report": report}


def with_draft(tree) -> dict:
    from reports.services import submission_save

    context = with_campaign(tree)
    submission_save(actor=None, submission=context["report"], values={"households": 3})
    return context


def with_filed(tree) -> dict:
    from reports.services import submission_submit

    context = with_draft(tree)
    context["report"] = submission_submit(actor=None, submission=context["report"])
    return context


def with_child(tree) -> dict:
    """The province asks the communes; commune A asks its cells for it; cell XA-C1 has filed."""
    from reports.services import submission_save, submission_submit

    template = _template(tree, tree.province)
    province = _campaign(tree, tree.province, template, "commune_committee")
    child = _campaign(tree, tree.commune_a, template, "attached_cell", parent=province)
    cell = child.submissions.get(target_unit=tree.cell_a1)
    submission_submit(actor=None, submission=submission_save(actor=None, submission=cell, values={"households": 2}))
    return {"report": province.submissions.get(target_unit=tree.commune_a)}


SAVE = {"households": "4", "difficulties": "Sóng yếu", "number_symbol": "01-BC", "place": "", "signer_name": ""}

ENDPOINTS = [
    page(
        "reports:home",
        LIST,
        "get",
        lambda c: reverse("reports:home"),
        prepare=with_campaign,
        hidden_text=CAMPAIGN_TITLE,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:templates",
        LIST,
        "get",
        lambda c: reverse("reports:templates"),
        prepare=with_template,
        hidden_text=TEMPLATE_TITLE,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:template_create",
        WRITE,
        "post",
        lambda c: reverse("reports:template_create"),
        lambda c: {
            "unit": c.commune_a.pk,
            "code": "BC-MOI",
            "title": "Mẫu mới",
            "indicators": ["members"],
            "manual_fields": "number: Số hộ",
        },
        hidden_text="Đảng bộ xã A",
    ),
    page(
        "reports:template",
        READ,
        "get",
        lambda c: reverse("reports:template", args=[c.template.pk]),
        prepare=with_template,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:template_revise",
        WRITE,
        "post",
        lambda c: reverse("reports:template_revise", args=[c.template.pk]),
        lambda c: {"title": "Mẫu sửa", "indicators": ["members"], "manual_fields": "text: Ghi chú"},
        prepare=with_template,
    ),
    page(
        "reports:campaign_create",
        WRITE,
        "post",
        lambda c: reverse("reports:campaign_create"),
        lambda c: {
            "unit": c.commune_a.pk,
            "template": c.template.pk,
            "title": "Đợt 2",
            "target": "units:attached_cell",
            "period_start": today().isoformat(),
            "period_end": today().isoformat(),
            "cutoff_on": today().isoformat(),
            "deadline": today().isoformat(),
            "remind_days_before": 3,
        },
        prepare=with_template,
        hidden_text="Đảng bộ xã A",
    ),
    # A campaign to commune A's villages and organisations, from commune A's committee (it serves the commune).
    page(
        "reports:campaign_create_places",
        WRITE,
        "post",
        lambda c: reverse("reports:campaign_create_places"),
        lambda c: {
            "unit": "XA",
            "template": c.template.pk,
            "places": ["village"],
            "period_start": today().isoformat(),
            "period_end": today().isoformat(),
            "cutoff_on": today().isoformat(),
            "deadline": today().isoformat(),
            "remind_days_before": 3,
        },
        prepare=with_template,
        hidden_text="Đảng bộ xã A",
    ),
    page(
        "reports:campaign",
        READ,
        "get",
        lambda c: reverse("reports:campaign", args=[c.campaign.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:campaign_xlsx",
        READ,
        "get",
        lambda c: reverse("reports:campaign_xlsx", args=[c.campaign.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:campaign_docx",
        READ,
        "get",
        lambda c: reverse("reports:campaign_docx", args=[c.campaign.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:submission",
        READ,
        "get",
        lambda c: reverse("reports:submission", args=[c.report.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:submission_save",
        WRITE,
        "post",
        lambda c: reverse("reports:submission_save", args=[c.report.pk]),
        lambda c: SAVE,
        prepare=with_campaign,
    ),
    page(
        "reports:submission_accept",
        WRITE,
        "post",
        lambda c: reverse("reports:submission_accept", args=[c.report.pk]),
        lambda c: {},
        prepare=with_filed,
    ),
    page(
        "reports:submission_return",
        WRITE,
        "post",
        lambda c: reverse("reports:submission_return", args=[c.report.pk]),
        lambda c: {"reason": "Sai số hộ"},
        prepare=with_filed,
    ),
    page(
        "reports:submission_compile",
        WRITE,
        "post",
        lambda c: reverse("reports:submission_compile", args=[c.report.pk]),
        lambda c: {},
        prepare=with_child,
    ),
    page(
        "reports:submission_refresh",
        WRITE,
        "post",
        lambda c: reverse("reports:submission_refresh", args=[c.report.pk]),
        lambda c: {},
        prepare=with_campaign,
    ),
    page(
        "reports:submission_xlsx",
        READ,
        "get",
        lambda c: reverse("reports:submission_xlsx", args=[c.report.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:submission_docx",
        READ,
        "get",
        lambda c: reverse("reports:submission_docx", args=[c.report.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    page(
        "reports:submission_print",
        READ,
        "get",
        lambda c: reverse("reports:submission_print", args=[c.report.pk]),
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    api(
        "get",
        "/reports/templates",
        LIST,
        lambda c: "/api/reports/templates",
        prepare=with_template,
        hidden_text=TEMPLATE_TITLE,
        ancestor_role=OFFICER,
    ),
    api(
        "get",
        "/reports/templates/{template_id}",
        READ,
        lambda c: f"/api/reports/templates/{c.template.pk}",
        prepare=with_template,
        ancestor_role=OFFICER,
    ),
    api(
        "post",
        "/reports/templates",
        WRITE,
        lambda c: "/api/reports/templates",
        lambda c: {"unit_code": "XA", "code": "BC-API", "title": "Mẫu API", "fields": FIELDS},
    ),
    api(
        "get",
        "/reports/campaigns",
        LIST,
        lambda c: "/api/reports/campaigns",
        prepare=with_campaign,
        hidden_text=CAMPAIGN_TITLE,
        ancestor_role=OFFICER,
    ),
    api(
        "post",
        "/reports/campaigns",
        WRITE,
        lambda c: "/api/reports/campaigns",
        lambda c: {
            "unit_code": "XA",
            "template_id": c.template.pk,
            "target_tree": "units",
            "target_kind": "attached_cell",
            "period_start": today().isoformat(),
            "period_end": today().isoformat(),
            "cutoff_on": today().isoformat(),
            "deadline": today().isoformat(),
        },
        prepare=with_template,
    ),
    api(
        "get",
        "/reports/campaigns/{campaign_id}",
        READ,
        lambda c: f"/api/reports/campaigns/{c.campaign.pk}",
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    api(
        "get",
        "/reports/campaigns/{campaign_id}/timeliness",
        READ,
        lambda c: f"/api/reports/campaigns/{c.campaign.pk}/timeliness",
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    api(
        "get",
        "/reports/submissions/{submission_id}",
        READ,
        lambda c: f"/api/reports/submissions/{c.report.pk}",
        prepare=with_campaign,
        ancestor_role=OFFICER,
    ),
    api(
        "put",
        "/reports/submissions/{submission_id}",
        WRITE,
        lambda c: f"/api/reports/submissions/{c.report.pk}",
        lambda c: {"values": {"households": 5}},
        prepare=with_campaign,
    ),
    api(
        "post",
        "/reports/submissions/{submission_id}/submit",
        WRITE,
        lambda c: f"/api/reports/submissions/{c.report.pk}/submit",
        prepare=with_draft,
    ),
    api(
        "post",
        "/reports/submissions/{submission_id}/return",
        WRITE,
        lambda c: f"/api/reports/submissions/{c.report.pk}/return",
        lambda c: {"reason": "Sai"},
        prepare=with_filed,
    ),
    api(
        "post",
        "/reports/submissions/{submission_id}/accept",
        WRITE,
        lambda c: f"/api/reports/submissions/{c.report.pk}/accept",
        prepare=with_filed,
    ),
    api(
        "post",
        "/reports/submissions/{submission_id}/compile",
        WRITE,
        lambda c: f"/api/reports/submissions/{c.report.pk}/compile",
        prepare=with_child,
    ),
]
