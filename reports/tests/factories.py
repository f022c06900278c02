"""Templates and campaigns for the reports tests."""

import datetime

from django.utils import timezone

from reports import services
from reports.choices import TargetTree

FIELDS = [
    {"key": "members", "kind": "indicator"},
    {"key": "eligible", "kind": "indicator"},
    {"key": "activated", "kind": "indicator"},
    {"key": "activated_percent_of_eligible", "kind": "indicator"},
    {"key": "households", "kind": "number", "label": "Hộ được hỗ trợ"},
    {"key": "difficulties", "kind": "text", "label": "Khó khăn, vướng mắc"},
]


def make_template(*, unit, actor=None, code="BC-CDS", fields=None, **layout):
    return services.template_create(
        actor=actor,
        unit=unit,
        code=code,
        title="Báo cáo kết quả triển khai Sổ tay đảng viên",
        fields=fields or FIELDS,
        place=layout.pop("place", "Hà Nội"),
        recipients=layout.pop("recipients", "Ban Thường vụ Thành ủy (để b/c)\nLưu VP"),
        signer_title=layout.pop("signer_title", "T/M Ban Thường vụ"),
        **layout,
    )


def make_campaign(
    *, unit, template, actor=None, target_kind, target_tree=TargetTree.UNITS, parent=None, cutoff_on=None, deadline=None
):
    today = timezone.localdate()
    return services.campaign_issue(
        actor=actor,
        unit=unit,
        template=template,
        title="Báo cáo tháng",
        target_tree=target_tree,
        target_kind=target_kind,
        period_start=today.replace(day=1),
        period_end=today,
        cutoff_on=cutoff_on or today,
        deadline=deadline or today + datetime.timedelta(days=7),
        parent=parent,
    )
