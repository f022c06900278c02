"""Templates the product ships, as the documents prescribe them: an officer starts from one on the new template's
page (`?preset=<name>`) and saves it as their unit's own, to change like any other.

The rollout's report ("kết quả hỗ trợ cài đặt, cập nhật thông tin đảng viên") asks each village, residential group
or unit for its members, installs, activations, help given (by place and by the kind of team that gave it), records
checked and corrections: figures the system knows are pre-filled from live data; the filer types the rest. Its
words are the document's own, in Vietnamese whatever the page's language."""

import dataclasses

from rollout.choices import HelpPlace, TeamKind

from .choices import FieldKind


@dataclasses.dataclass(frozen=True)
class Preset:
    code: str
    title: str
    fields: list[dict]
    body: str = ""
    recipients: str = ""
    signer_title: str = ""


def _indicators(*keys: str) -> list[dict]:
    return [{"key": key, "kind": FieldKind.INDICATOR.value} for key in keys]


ROLLOUT_RESULTS = Preset(
    code="HT-SOTAY",
    title="Báo cáo kết quả hỗ trợ cài đặt, cập nhật thông tin đảng viên",
    fields=[
        *_indicators(
            "members",
            "eligible",
            "app_installed",
            "activated",
            "activated_percent_of_members",
            "activated_percent_of_eligible",
            "help_sessions",
            *[f"help_place_{place.value}" for place in HelpPlace],
            *[f"help_team_{kind.value}" for kind in TeamKind],
            "records_verified",
            "corrections_requested",
            "corrections_applied",
            "corrections_open",
        ),
        {"key": "records_updated", "kind": FieldKind.NUMBER.value, "label": "Số đảng viên được cập nhật thông tin"},
        {"key": "no_smartphone", "kind": FieldKind.NUMBER.value, "label": "Số đảng viên chưa có điện thoại thông minh"},
        {"key": "difficulties", "kind": FieldKind.TEXT.value, "label": "Khó khăn, vướng mắc, kiến nghị"},
    ],
    body="Thực hiện kế hoạch triển khai ứng dụng Sổ tay đảng viên điện tử, đơn vị báo cáo kết quả hỗ trợ cài đặt, "
    "kích hoạt tài khoản và cập nhật thông tin đảng viên như sau:",
    recipients="Ủy ban nhân dân xã, phường (để b/c)\nĐảng ủy xã, phường (để b/c)\nLưu",
    signer_title="Trưởng thôn, tổ trưởng tổ dân phố",
)

PRESETS = {"rollout": ROLLOUT_RESULTS}


# The live figures a campaign to villages and organisations may ask for: its reports are read by village heads and
# organisations' contacts outside the party, so only the rollout's counts (members, accounts, help, records checked,
# corrections), never the party's own matters (dues in arrears, ratings, admissions), which in a village of a few
# members would name a person.
PLACE_CAMPAIGN_INDICATORS = frozenset(
    field["key"] for field in ROLLOUT_RESULTS.fields if field["kind"] == FieldKind.INDICATOR
)
