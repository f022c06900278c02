"""The dashboard, its export and API, teams, worklists and help sessions as users reach them."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.api import api_client
from common.tests.test_documents import assert_party_format
from meetings.choices import Presence
from meetings.models import Attendance
from meetings.tests.factories import started_meeting
from members.models import RecordAccess
from members.templatetags.masking import masked
from members.tests.factories import make_member
from orgunits.models import Unit
from rollout.activation.services import account_activate
from rollout.choices import Affiliation
from rollout.models import HelpSession, Team, TeamMember, WorklistAssignment
from rollout.selectors import team_worklist, unit_figures
from rollout.services import help_session_log, worklist_phone_reveal


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_with_supporter(tree, *, username="supporter_a"):
    team = Team.objects.create(name="Tổ hỗ trợ xã A", unit=tree.commune_a)
    supporter = make_user(username=username)
    TeamMember.objects.create(team=team, user=supporter, affiliation=Affiliation.YOUTH_UNION)
    return team, supporter


def over_one_hundred_percent(tree):
    """Commune A: 3 members, 2 eligible, 3 activated, so 150% of eligible members."""
    extra = make_member(unit=tree.cell_a2, is_eligible=False, ineligibility_reason="no_smartphone")
    account_activate(actor=None, user=tree.users["member_a1"])
    account_activate(actor=None, user=make_user(member=tree.member_a2))
    account_activate(actor=None, user=make_user(member=extra))


def test_the_dashboard_shows_the_percentage_of_eligible_members_over_one_hundred_as_it_is(tree):
    over_one_hundred_percent(tree)

    with translation.override("vi"):
        page = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"])).content.decode()

    assert "150,0%" in page
    assert "100,0%" in page


def test_the_dashboard_as_of_a_date_before_any_change_shows_nothing_activated(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    response = signed_in(tree.users["officer_a"]).get(
        reverse("rollout:dashboard", args=["XA"]), {"as_of": "2020-01-01"}
    )

    assert response.context["figures"].activated == 0


def test_the_dashboard_lists_child_units_laggards_first(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]))

    assert [figures.unit.code for figures in response.context["children"]] == ["XA-C2", "XA-C1", "XA-G"]


def test_the_dashboard_gives_the_date_the_current_pace_reaches_the_target(tree):
    # Given one activation a day over the last 30 days would be needed; here: 1 activation in the window
    account_activate(actor=None, user=tree.users["member_a1"])

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]), {"target": "100"})

    # 2 members, 1 activated, 1 activation in the 30-day window: 1 more needed at 1/29 a day
    assert response.context["target_date"] == response.context["chart"]["last_day"] + datetime.timedelta(days=29)
    assert "<polyline" in response.content.decode()


def test_the_xlsx_export_has_the_unit_and_its_children(tree):
    over_one_hundred_percent(tree)

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:export", args=["XA"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("Tổ chức đảng", "Đảng bộ xã A")
    header_row = next(number for number, row in enumerate(rows) if row[0] == "Mã")
    assert sheet.freeze_panes == f"A{header_row + 2}"
    assert rows[header_row + 1][:7] == ("XA", "Đảng bộ xã A", 3, 2, 3, 100.0, 150.0)
    assert {row[0] for row in rows[header_row + 2 :]} == {"XA-C1", "XA-C2", "XA-G"}


def test_the_figures_are_an_official_report_signed_by_the_ward(tree):
    over_one_hundred_percent(tree)

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:report_docx", args=["XA"]))

    document = Document(io.BytesIO(response.content))
    assert_party_format(document, landscape=True)
    header, table, footer = document.tables
    assert [p.text for p in header.rows[0].cells[0].paragraphs][:2] == ["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "ĐẢNG BỘ XÃ A"]
    assert [cell.text for cell in table.rows[1].cells][:7] == ["XA", "Đảng bộ xã A", "3", "2", "3", "100,0", "150,0"]
    assert {row.cells[0].text for row in table.rows[2:]} == {"XA-C1", "XA-C2", "XA-G"}
    recipients, signer = footer.rows[0].cells
    assert [p.text for p in signer.paragraphs if p.text] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- Đảng bộ Thành phố Hà Nội (để b/c)", "- Lưu VP"]


def test_a_unit_name_that_looks_like_a_formula_is_exported_as_text(tree):
    Unit.objects.filter(pk=tree.cell_a2.pk).update(name='=HYPERLINK("http://evil.example","Chi bộ")')

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:export", args=["XA"]))

    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
    [named] = [cell for cell in cells if str(cell.value).startswith("=HYPERLINK")]
    assert named.data_type == "s" and named.quotePrefix


def test_the_api_gives_a_units_figures_and_its_childrens(tree):
    over_one_hundred_percent(tree)

    body = api_client(tree.users["province_viewer"]).get("/api/rollout/units/XA/figures").json()

    assert (body["unit"]["activated"], float(body["unit"]["percent_of_eligible"])) == (3, 150.0)
    assert [child["unit_code"] for child in body["children"]][-1] == "XA-G"


def test_the_api_figures_of_a_sibling_commune_are_not_found(tree):
    response = api_client(tree.users["officer_b"]).get("/api/rollout/units/XA/figures")

    assert response.status_code == 404


def test_logging_a_help_session_moves_the_cells_figure(tree):
    team, supporter = team_with_supporter(tree)

    response = signed_in(supporter).post(
        reverse("rollout:log_session", args=[team.pk]),
        {
            "members": [tree.member_a1.pk, tree.member_a2.pk],
            "place": "cell_meeting",
            "topic": "install",
            "outcome": "done",
        },
    )

    assert response.status_code == 302
    assert HelpSession.objects.get().supporter == supporter
    assert (unit_figures(unit=tree.cell_a1).help_sessions, unit_figures(unit=tree.commune_a).help_sessions) == (1, 2)


@pytest.mark.parametrize("place", ["village_meeting", "mass_org"])
def test_help_is_logged_at_a_village_meeting_or_a_mass_organisations_activity(tree, place):
    team, supporter = team_with_supporter(tree)

    response = signed_in(supporter).post(
        reverse("rollout:log_session", args=[team.pk]),
        {"members": [tree.member_a1.pk], "place": place, "topic": "install", "outcome": "done"},
    )

    assert response.status_code == 302
    assert HelpSession.objects.get().place == place
    assert unit_figures(unit=tree.cell_a1).help_sessions == 1


def test_a_team_records_helpers_from_the_womens_union_the_veterans_and_the_party_committee(tree):
    team, _supporter = team_with_supporter(tree)
    officer = signed_in(tree.users["officer_a"])

    for number, affiliation in enumerate(["womens_union", "veterans", "party_committee"]):
        helper = make_user(username=f"helper_{number}")
        officer.post(
            reverse("rollout:team_member_add", args=[team.pk]),
            {"username": helper.username, "affiliation": affiliation},
        )

    added = TeamMember.objects.filter(team=team, user__username__startswith="helper_")
    assert sorted(added.values_list("affiliation", flat=True)) == ["party_committee", "veterans", "womens_union"]
    page = officer.get(reverse("rollout:team", args=[team.pk])).content.decode()
    assert "Hội Liên hiệp Phụ nữ" in page and "Hội Cựu chiến binh" in page  # in Vietnamese, the default


def test_a_help_session_for_a_member_outside_the_teams_area_is_refused(tree):
    team, supporter = team_with_supporter(tree)

    signed_in(supporter).post(
        reverse("rollout:log_session", args=[team.pk]),
        {"members": [tree.member_b1.pk], "place": "home", "topic": "install", "outcome": "done"},
    )

    assert not HelpSession.objects.exists()
    assert unit_figures(unit=tree.commune_b).help_sessions == 0


def test_phone_numbers_on_the_worklist_are_shown_to_the_team_masked_and_to_nobody_else(tree):
    team, supporter = team_with_supporter(tree)
    phone = tree.member_a2.phone

    to_team = signed_in(supporter).get(reverse("rollout:team", args=[team.pk])).content.decode()
    to_official = signed_in(tree.users["province_viewer"]).get(reverse("rollout:team", args=[team.pk])).content.decode()

    # The page shows the number only in part (screens are shared, photographed); one tap reveals it to call.
    assert phone not in to_team
    assert masked(phone) in to_team
    assert reverse("rollout:phone_reveal", args=[team.pk, tree.member_a2.pk]) in to_team
    assert "Trần Thị Bình" in to_official and phone not in to_official and masked(phone) not in to_official


def test_the_worklist_is_shown_a_page_at_a_time_and_filtered_by_name(tree, monkeypatch):
    from rollout import views

    team, supporter = team_with_supporter(tree)
    monkeypatch.setattr(views, "WORKLIST_PAGE_SIZE", 1)
    client = signed_in(supporter)
    url = reverse("rollout:team", args=[team.pk])
    everyone = [row.member.full_name for row in team_worklist(team=team)]
    assert len(everyone) >= 2

    first = client.get(url)
    second = client.get(url, {"page": 2})
    found = client.get(url, {"q": "tran thi binh"})

    assert [row.member.full_name for row in first.context["rows"]] == everyone[:1]
    assert [row.member.full_name for row in second.context["rows"]] == everyone[1:2]
    assert "page=2#worklist" in first.content.decode()
    assert [row.member.full_name for row in found.context["rows"]] == ["Trần Thị Bình"]
    # One session form for the page, not one below every member.
    assert first.content.decode().count('name="place"') == len(first.context["form"]["place"])


def test_the_worklist_shows_only_the_supporters_own_members_on_demand(tree):
    team, supporter = team_with_supporter(tree)
    signed_in(tree.users["officer_a"]).post(
        reverse("rollout:assign", args=[team.pk]), {"member": tree.member_a2.pk, "assignee": supporter.pk}
    )

    response = signed_in(supporter).get(reverse("rollout:team", args=[team.pk]), {"mine": "1"})

    assert [row.member.pk for row in response.context["rows"]] == [tree.member_a2.pk]


def test_revealing_a_phone_on_the_worklist_shows_it_to_call_and_logs_who_whom_and_when(tree):
    team, supporter = team_with_supporter(tree)
    member = tree.member_a2

    response = signed_in(supporter).post(reverse("rollout:phone_reveal", args=[team.pk, member.pk]))

    assert response.status_code == 200
    assert f'href="tel:{member.phone}"' in response.content.decode()
    access = RecordAccess.objects.get()
    assert (access.actor, access.member, access.kind, access.unit) == (supporter, member, "phone", member.unit)
    assert abs((timezone.now() - access.time).total_seconds()) < 60
    access_log = signed_in(tree.users["admin_a"]).get(reverse("members:access_log") + "?unit=XA")
    assert [(entry.actor, entry.get_kind_display()) for entry in access_log.context["openings"]] == [
        (supporter, RecordAccess(kind="phone").get_kind_display())
    ]
    assert str(RecordAccess(kind="phone").get_kind_display()) in access_log.content.decode()


def test_a_phone_is_revealed_only_to_the_team_and_only_for_its_worklist(tree):
    team, supporter = team_with_supporter(tree)
    other_team, other_supporter = team_with_supporter(tree, username="supporter_b")
    other_team.unit = tree.commune_b
    other_team.save()

    by_other_team = signed_in(other_supporter).post(reverse("rollout:phone_reveal", args=[team.pk, tree.member_a2.pk]))
    outside = signed_in(supporter).post(reverse("rollout:phone_reveal", args=[team.pk, tree.member_b1.pk]))

    assert (by_other_team.status_code, outside.status_code) == (404, 404)
    assert tree.member_a2.phone not in by_other_team.content.decode()
    assert not RecordAccess.objects.exists()


def test_the_reveal_service_refuses_someone_neither_in_the_team_nor_reading_records(tree):
    team, _supporter = team_with_supporter(tree)

    with pytest.raises(PermissionDenied):
        worklist_phone_reveal(actor=tree.users["member_a1"], team=team, member=tree.member_a2)
    assert not RecordAccess.objects.exists()


@pytest.mark.parametrize(
    ("number", "shown"),
    [("0912345678", "09••••••78"), ("001203012345", "001•••••••45"), ("12345", "•••••"), ("", ""), (None, "")],
)
def test_numbers_in_lists_are_shown_in_part(number, shown):
    assert masked(number) == shown


def test_a_supporter_of_another_team_cannot_open_this_teams_worklist(tree):
    team, _supporter = team_with_supporter(tree)
    other = Team.objects.create(name="Tổ hỗ trợ xã B", unit=tree.commune_b)
    outsider = make_user(username="supporter_b")
    TeamMember.objects.create(team=other, user=outsider, affiliation=Affiliation.POLICE)

    response = signed_in(outsider).get(reverse("rollout:team", args=[team.pk]))

    assert response.status_code == 404


def test_a_member_absent_from_their_cells_last_held_meeting_is_marked_and_comes_before_others_alike(tree):
    team, _supporter = team_with_supporter(tree)
    same_cell_member = make_member(unit=tree.cell_a2, date_of_birth=tree.member_a2.date_of_birth)
    meeting = started_meeting(unit=tree.cell_a2, minutes_ago=180)
    Attendance.objects.create(meeting=meeting, member=same_cell_member, presence=Presence.PRESENT)
    Attendance.objects.create(meeting=meeting, member=tree.member_a2, presence=Presence.ABSENT)

    with translation.override("en"):
        rows = {row.member: row for row in team_worklist(team=team)}
    order = [row.member for row in team_worklist(team=team)]

    assert "absent from the last meeting" in rows[tree.member_a2].reasons
    assert not rows[same_cell_member].missed_last_meeting
    assert not rows[tree.member_a1].missed_last_meeting, "cell A1 has held no meeting yet"
    assert order.index(tree.member_a2) < order.index(same_cell_member)


def test_the_worklist_puts_never_contacted_and_elderly_members_first(tree):
    team, supporter = team_with_supporter(tree)
    elderly = make_member(unit=tree.cell_a2, date_of_birth=datetime.date(1940, 3, 1))
    account_activate(actor=None, user=tree.users["member_a1"])
    help_session_log(
        actor=supporter,
        team=team,
        members=[tree.member_a2],
        place="home",
        topic="install",
        outcome="needs_another_visit",
    )

    with translation.override("en"):
        rows = team_worklist(team=team)

    # member_a1 activated but never used the app: stuck, so still on the list
    priorities = [(row.was_contacted, row.age < 70) for row in rows]
    assert priorities == sorted(priorities)
    assert next(row for row in rows if row.member == elderly).reasons[:2] == ["never contacted", "70 or older"]
    assert priorities[0] == (False, False), "a never-contacted member of 70 or more comes first"
    assert rows[-1].member == tree.member_a2
    assert tree.member_a1 in [row.member for row in rows]


def test_the_worklist_takes_the_same_queries_for_3_and_for_30_members(tree, django_assert_num_queries):
    team, supporter = team_with_supporter(tree)
    with django_assert_num_queries(2):
        team_worklist(team=team)
    for _index in range(28):
        make_member(unit=tree.cell_a2)
    with django_assert_num_queries(2):
        assert len(team_worklist(team=team)) == 30


def test_a_member_of_the_worklist_is_assigned_to_a_team_member(tree):
    team, supporter = team_with_supporter(tree)

    signed_in(tree.users["officer_a"]).post(
        reverse("rollout:assign", args=[team.pk]), {"member": tree.member_a2.pk, "assignee": supporter.pk}
    )

    assert WorklistAssignment.objects.get().assignee == supporter
    assert [row.assignee_name for row in team_worklist(team=team) if row.member == tree.member_a2] == ["supporter_a"]


def test_figures_per_supporter_count_sessions_and_members_helped(tree):
    team, supporter = team_with_supporter(tree)
    client = signed_in(supporter)
    for members in ([tree.member_a1.pk, tree.member_a2.pk], [tree.member_a2.pk]):
        client.post(
            reverse("rollout:log_session", args=[team.pk]),
            {"members": members, "place": "home", "topic": "install", "outcome": "done"},
        )

    response = client.get(reverse("rollout:team", args=[team.pk]))

    [figures] = response.context["supporters"]
    assert (figures.sessions, figures.members_helped) == (2, 3)


def test_the_dashboard_takes_the_same_queries_for_3_and_for_30_child_units(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orgunits.tests.factories import make_unit

    client = signed_in(tree.users["officer_a"])
    url = reverse("rollout:dashboard", args=["XA"])
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    for index in range(27):
        make_unit(parent=tree.commune_a, name=f"Chi bộ {index}", code=f"XA-N{index}")
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)

    assert len(response.context["children"]) == 30
    assert len(thirty) == len(three)


def test_the_list_of_who_still_needs_help_leaves_out_activated_members(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    page = signed_in(tree.users["officer_a"]).get(reverse("rollout:pending", args=["XA"])).content.decode()

    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_the_list_of_who_still_needs_help_pages_through_the_first_members_up_to_the_cap(tree, settings):
    # Given three members of the commune without an account, pages of one and a cap of two
    make_member(unit=tree.cell_a1, full_name="Vũ Văn Dũng")
    settings.MEMBER_LIST_PAGE_SIZE = 1
    settings.MEMBER_LIST_COUNT_CAP = 2
    client = signed_in(tree.users["officer_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page's words in English, as the assertions read them

    # When the officer opens the list's first and last pages
    first = client.get(reverse("rollout:pending", args=["XA"]))
    last = client.get(reverse("rollout:pending", args=["XA"]), {"page": "2"})

    # Then it pages the first two by name, with no total of pages, and says where the pages stop
    assert first.context["page"].paginator.is_capped and "Page 1 of" not in first.content.decode()
    assert [member.full_name for member in first.context["page"]] == ["Nguyễn Văn An"]
    assert [member.full_name for member in last.context["page"]] == ["Trần Thị Bình"]
    assert not last.context["page"].has_next() and "The pages stop at the first 2" in last.content.decode()


def test_a_secretary_gives_a_member_a_new_code_from_the_list_and_prints_it(tree):
    client = signed_in(tree.users["secretary_a1"])

    response = client.post(reverse("activation:activation_reset", args=[tree.member_a1.pk]), follow=True)

    assert "Nguyễn Văn An" in response.content.decode()
    assert response.context["slips"][0]["username"] == "member_a1"


def test_a_team_can_be_attached_to_one_village_and_its_worklist_keeps_to_the_village(tree):
    # Given a member living in village 1 and one living elsewhere
    from members.services import member_update

    member_update(actor=None, member=tree.member_a1, data={"residence_area": tree.village_a1})

    response = signed_in(tree.users["officer_a"]).post(
        reverse("rollout:team_create", args=["XA"]),
        {"name": "Tổ công nghệ số thôn 1", "kind": "community_digital_team", "area": tree.village_a1.pk},
    )

    team = Team.objects.get()
    assert response.status_code == 302 and team.area == tree.village_a1
    assert [row.member for row in team_worklist(team=team)] == [tree.member_a1]


def test_a_supporter_sees_the_figures_of_their_commune_but_not_who_still_needs_help_there(tree):
    supporter = make_user(role=RoleKind.SUPPORTER, unit=tree.commune_a, username="supporter_a")
    client = signed_in(supporter)

    dashboard = client.get(reverse("rollout:dashboard", args=["XA"]))
    pending = client.get(reverse("rollout:pending", args=["XA"]))

    assert dashboard.status_code == 200
    assert reverse("rollout:pending", args=["XA"]) not in dashboard.content.decode()
    assert pending.status_code == 404
    assert "Trần Thị Bình" not in pending.content.decode()


def test_the_downloads_are_named_after_the_unit_and_the_day(tree):
    client = signed_in(tree.users["officer_a"])
    xlsx = client.get(reverse("rollout:export", args=["XA"]))
    docx = client.get(reverse("rollout:report_docx", args=["XA"]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="rollout-XA-2026-12-02.xlsx"'
    assert docx["Content-Disposition"] == 'attachment; filename="rollout-report-XA-2026-12-02.docx"'


def test_the_dashboard_has_headline_tiles_and_counts_the_weeks_activations(tree):
    over_one_hundred_percent(tree)

    with translation.override("vi"):
        response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]))

    page = response.content.decode()
    assert response.context["activated_this_week"] == 3
    assert page.count('class="tile"') == 4
    assert 'class="tile-value percent-eligible">150,0%' in page


def test_the_trend_chart_has_axes_with_percentages_and_weekly_dates(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    with translation.override("vi"):
        response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]))

    chart = response.context["chart"]
    assert [tick["label"] for tick in chart["y_ticks"]] == ["0%", "25%", "50%", "75%", "100%"]
    assert chart["x_ticks"][-1]["label"] == f"{timezone.localdate():%d/%m}"
    assert len(chart["x_ticks"]) == 8, "a date every week over eight weeks"
    page = response.content.decode()
    assert 'class="target-line"' in page and "<polyline" in page and "style=" not in page.split("<svg", 1)[1]
    # Coordinates keep the decimal point in Vietnamese too: x="38,5" would be read as two positions.
    assert not re.search(r'(?:x|y|x1|x2|y1|y2|width|cx|cy)="-?\d+,\d', page)


def test_a_bar_per_child_unit_hatched_below_the_target(tree):
    account_activate(actor=None, user=tree.users["member_a1"])

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]), {"target": "50"})

    rows = {row["code"]: row for row in response.context["bars"]["rows"]}
    assert set(rows) == {"XA-C1", "XA-C2", "XA-G"}
    assert not rows["XA-C1"]["is_lagging"] and rows["XA-C2"]["is_lagging"]
    assert response.context["bars"]["rows"][-1]["code"] == "XA-C1", "furthest behind first"
    assert "fill: url(#hatch)" not in response.content.decode(), "the pattern is applied by the stylesheet"
    assert 'id="hatch"' in response.content.decode()


def test_the_forecast_gives_no_date_beyond_a_year_but_says_not_at_this_pace(tree):
    from rollout.selectors import Figures, target_date

    today = timezone.localdate()
    slow = [(today - datetime.timedelta(days=29 - offset), 1 if offset < 29 else 2, 10_000) for offset in range(30)]

    assert target_date(figures=Figures(unit=tree.commune_a, members=10_000, activated=2), trend=slow) is None

    with translation.override("vi"):
        page = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"])).content.decode()
    assert "Không đạt với tốc độ hiện nay" in page or "không đạt với tốc độ hiện nay" in page


def test_the_date_field_takes_and_shows_day_month_year(tree):
    response = signed_in(tree.users["officer_a"]).get(
        reverse("rollout:dashboard", args=["XA"]), {"as_of": "01/11/2026"}
    )

    assert response.context["as_of"] == datetime.date(2026, 11, 1)
    page = response.content.decode()
    assert 'value="01/11/2026"' in page and 'placeholder="dd/mm/yyyy"' in page and 'type="date"' not in page


def test_the_child_units_table_is_folded_and_paged_and_the_bars_show_the_ten_furthest_behind(tree):
    from orgunits.tests.factories import make_unit

    for index in range(27):
        make_unit(parent=tree.commune_a, name=f"Chi bộ {index}", code=f"XA-N{index}")
    client = signed_in(tree.users["officer_a"])
    url = reverse("rollout:dashboard", args=["XA"])

    first = client.get(url, {"target": "80"})
    second = client.get(url, {"target": "80", "units": "2"})

    assert [len(response.context["children_page"]) for response in (first, second)] == [20, 10]
    assert '<details class="disclosure units-table">' in first.content.decode()
    assert '<details class="disclosure units-table" open>' in second.content.decode()
    assert 'href="?target=80&amp;units=2#units"' in first.content.decode()
    assert len(first.context["bars"]["rows"]) == 10 and first.context["bars"]["hidden"] == 20


def test_units_with_equal_figures_come_in_the_vietnamese_order_of_their_names(tree):
    from orgunits.tests.factories import make_unit

    new_units = {"XA-T10": "Chi bộ xóm 10", "XA-D": "Chi bộ Đông", "XA-Y": "Chi bộ Yên", "XA-T2": "Chi bộ xóm 2"}
    for code, name in new_units.items():
        make_unit(parent=tree.commune_a, name=name, code=code)

    response = signed_in(tree.users["officer_a"]).get(reverse("rollout:dashboard", args=["XA"]))

    listed = [figures.unit.name for figures in response.context["children"] if figures.unit.code in new_units]
    assert listed == ["Chi bộ Đông", "Chi bộ xóm 2", "Chi bộ xóm 10", "Chi bộ Yên"]
