import datetime

from django.db import connection
from django.forms.models import model_to_dict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.dates import today
from members.fields import EDITABLE_FIELDS, RECORD_SECTIONS
from members.forms import FORM_FIELDS, MemberEditForm
from members.models import Member
from members.tests.factories import make_member, member_data

LIST_URL = reverse("members:list")
CREATE_URL = reverse("members:create")


def detail_url(member) -> str:
    return reverse("members:detail", args=[member.pk])


def edit_url(member) -> str:
    return reverse("members:edit", args=[member.pk])


def as_post(values: dict) -> dict:
    """Form fields as a browser posts them: unticked boxes absent, empty values as ""."""
    data = {}
    for name, value in values.items():
        if value is False:
            continue
        if value is True:
            data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    return data


def edit_post(member: Member, **changes) -> dict:
    values = {**model_to_dict(member, fields=FORM_FIELDS), "version": member.version, "reason": "", **changes}
    return as_post(values)


def listed_names(response) -> list[str]:
    return [member.full_name for member in response.context["page"].object_list]


def test_the_member_list_shows_only_members_in_the_users_scope(officer_a, tree):
    response = officer_a.get(LIST_URL)

    assert response.status_code == 200
    assert listed_names(response) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_searching_without_diacritics_or_capitals_finds_the_member(officer_a, tree):
    response = officer_a.get(LIST_URL, {"q": "nguyen van an"})

    assert listed_names(response) == ["Nguyễn Văn An"]


def test_an_officer_of_commune_b_never_finds_commune_a_members(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(LIST_URL, {"q": "nguyen van an"})

    assert listed_names(response) == []
    assert "Nguyễn Văn An" not in response.text


def test_digits_search_the_party_card_number(officer_a, tree):
    response = officer_a.get(LIST_URL, {"q": tree.member_a2.card_number})

    assert listed_names(response) == ["Trần Thị Bình"]


def test_filtering_by_unit_keeps_the_members_of_that_units_subtree(officer_a, tree):
    response = officer_a.get(LIST_URL, {"unit": "XA-C1"})

    assert listed_names(response) == ["Nguyễn Văn An"]


def test_filtering_by_a_unit_outside_scope_is_not_found(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(LIST_URL, {"unit": "XA"})

    assert response.status_code == 404


def test_filtering_by_eligibility_keeps_the_ineligible_members(officer_a, tree):
    make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng", is_eligible=False, ineligibility_reason="no_smartphone")

    response = officer_a.get(LIST_URL, {"eligible": "no"})

    assert listed_names(response) == ["Phạm Văn Dũng"]


def test_filtering_by_status_keeps_members_of_that_status(officer_a, tree):
    make_member(unit=tree.cell_a1, full_name="Phạm Văn Dũng", status="exempt")

    response = officer_a.get(LIST_URL, {"status": "exempt"})

    assert listed_names(response) == ["Phạm Văn Dũng"]


def test_the_list_shows_the_total_and_splits_into_pages(officer_a, tree):
    make_member(unit=tree.cell_a1)

    with override_settings(MEMBER_LIST_PAGE_SIZE=2):
        response = officer_a.get(LIST_URL, {"page": "2"})

    assert "3 members found" in response.text
    assert len(response.context["page"].object_list) == 1


def test_dates_of_birth_are_shown_day_month_year(officer_a, tree):
    response = officer_a.get(LIST_URL)

    assert tree.member_a1.date_of_birth.strftime("%d/%m/%Y") in response.text


def test_an_htmx_search_gets_only_the_results(officer_a, tree):
    response = officer_a.get(LIST_URL, {"q": "nguyen"}, HTTP_HX_REQUEST="true")

    assert "<html" not in response.text
    assert "Nguyễn Văn An" in response.text
    assert "HX-Request" in response["Vary"]


def test_the_member_list_runs_as_many_queries_for_30_members_as_for_3(officer_a, tree):
    make_member(unit=tree.cell_a1)
    officer_a.get(LIST_URL)
    with CaptureQueriesContext(connection) as three_members:
        officer_a.get(LIST_URL)
    for _number in range(27):
        make_member(unit=tree.cell_a2)

    with CaptureQueriesContext(connection) as thirty_members:
        response = officer_a.get(LIST_URL)

    assert len(response.context["page"].object_list) == 30
    assert len(thirty_members) == len(three_members)


def test_the_record_sections_cover_every_editable_field():
    shown = {name for _title, names in RECORD_SECTIONS for name in names}

    assert shown == set(EDITABLE_FIELDS)


def test_the_record_page_shows_the_record_in_sections(officer_a, tree):
    response = officer_a.get(detail_url(tree.member_a1))

    assert response.status_code == 200
    titles = [section.title for section in response.context["sections"]]
    assert titles[:2] == ["Identity", "Party history"]
    assert tree.member_a1.citizen_id in response.text
    assert "Chi bộ thôn 1" in response.text


def test_a_record_outside_scope_is_not_found(client, tree):
    client.force_login(tree.users["officer_b"])

    response = client.get(detail_url(tree.member_a1))

    assert response.status_code == 404


def test_the_edit_button_is_shown_only_to_users_who_may_change_the_record(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(detail_url(tree.member_a1))

    assert response.status_code == 200
    assert edit_url(tree.member_a1) not in response.text


def test_the_record_as_of_a_date_before_registration_says_so(officer_a, tree):
    response = officer_a.get(detail_url(tree.member_a1), {"as_of": "2000-01-01"})

    assert "The record was not registered yet on 01/01/2000." in response.text


def test_the_record_as_of_a_past_date_shows_the_values_of_that_day(officer_a, tree):
    ChangeLog.objects.for_object(tree.member_a1).update(time=timezone.now() - datetime.timedelta(days=30))
    officer_a.post(edit_url(tree.member_a1), edit_post(tree.member_a1, full_name="Nguyễn Văn Ân"))

    ten_days_ago = today() - datetime.timedelta(days=10)
    response = officer_a.get(detail_url(tree.member_a1), {"as_of": ten_days_ago.isoformat()})

    as_of_identity = response.context["as_of_sections"][0].rows
    assert as_of_identity[0].value == "Nguyễn Văn An"


def test_an_officer_adds_a_member_to_a_cell(officer_a, tree):
    data = member_data(unit=tree.cell_a2, full_name="Hoàng Thị Em", sex="female")

    response = officer_a.post(
        CREATE_URL, as_post({**data, "ethnicity": "Kinh", "status": "active", "is_eligible": True})
    )

    member = Member.objects.get(full_name="Hoàng Thị Em")
    assert response.status_code == 302
    assert response.url == detail_url(member)
    assert member.unit == tree.cell_a2
    assert member.standing == "official"
    assert ChangeLog.objects.for_object(member).get().action == ChangeAction.CREATE


def test_the_new_member_form_starts_in_the_cell_it_was_opened_from(officer_a, tree):
    response = officer_a.get(CREATE_URL, {"unit": "XA-C2"})

    assert response.context["form"]["unit"].value() == "XA-C2"


def test_the_cell_is_picked_by_typing_its_name_or_code_not_from_a_long_select(officer_a, tree):
    page = officer_a.get(CREATE_URL).content.decode()

    assert '<select name="unit"' not in page
    assert '<option value="XA-C1">' in page and '<option value="XA-C2">' in page


def test_an_unchanged_cell_is_not_sent_as_a_change(officer_a, tree):
    form = MemberEditForm(
        edit_post(tree.member_a1, unit=tree.cell_a1.code), actor=tree.users["officer_a"], member=tree.member_a1
    )

    assert form.is_valid(), form.errors
    assert "unit" not in form.changed_record_data()


def test_the_new_member_form_offers_only_cells_the_user_may_change(client, tree):
    client.force_login(tree.users["secretary_a1"])

    response = client.get(CREATE_URL)

    assert list(response.context["form"].fields["unit"].queryset) == [tree.cell_a1]


def test_adding_a_member_needs_a_role_that_may_change_records(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(CREATE_URL)

    assert response.status_code == 403


def test_an_invalid_record_is_refused_with_the_message_beside_the_field(officer_a, tree):
    data = member_data(unit=tree.cell_a2, full_name="Hoàng Thị Em", joined_on=datetime.date(1950, 1, 1))

    response = officer_a.post(CREATE_URL, as_post({**data, "ethnicity": "Kinh", "status": "active"}))

    assert response.status_code == 200
    assert response.context["form"].errors["joined_on"] == [
        "A member must be at least 18 years old on the date of joining."
    ]
    assert not Member.objects.filter(full_name="Hoàng Thị Em").exists()


def test_the_edit_form_starts_from_the_records_values(officer_a, tree):
    response = officer_a.get(edit_url(tree.member_a1))

    form = response.context["form"]
    assert form["full_name"].value() == "Nguyễn Văn An"
    assert form["version"].value() == tree.member_a1.version


def test_an_edit_sends_only_the_changed_fields_so_derived_rules_apply(officer_a, tree):
    officer_a.post(edit_url(tree.member_a1), edit_post(tree.member_a1, status="exempt", status_since=today()))

    tree.member_a1.refresh_from_db()
    assert tree.member_a1.status == "exempt"
    assert not tree.member_a1.is_eligible


def test_an_officer_edits_a_record_and_the_change_is_logged_with_before_and_after(officer_a, tree):
    response = officer_a.post(edit_url(tree.member_a1), edit_post(tree.member_a1, phone="0987654321", reason="Số mới"))

    tree.member_a1.refresh_from_db()
    assert response.status_code == 302
    assert tree.member_a1.phone == "0987654321"
    entry = ChangeLog.objects.for_object(tree.member_a1).get(action=ChangeAction.UPDATE)
    assert entry.reason == "Số mới"
    history = officer_a.get(detail_url(tree.member_a1)).context["history"]
    assert [(change.label, change.after) for change in history[0].changes] == [("phone", "0987654321")]


def test_an_edit_made_on_a_stale_copy_is_refused(officer_a, tree):
    stale = edit_post(tree.member_a1, phone="0987654321")
    officer_a.post(edit_url(tree.member_a1), edit_post(tree.member_a1, email="an@example.vn"))

    response = officer_a.post(edit_url(tree.member_a1), stale)

    tree.member_a1.refresh_from_db()
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it." in response.text
    assert tree.member_a1.phone != "0987654321"


def test_a_user_who_may_only_view_cannot_open_the_edit_page(client, tree):
    client.force_login(tree.users["province_viewer"])

    response = client.get(edit_url(tree.member_a1))

    assert response.status_code == 403


def test_a_plain_member_cannot_edit_their_own_record(client, tree):
    client.force_login(tree.users["member_a1"])

    response = client.post(edit_url(tree.member_a1), edit_post(tree.member_a1, phone="0987654321"))

    assert response.status_code == 403


def test_the_villages_are_offered_in_vietnamese_order_not_the_databases(officer_a, tree):
    from orgunits.tests.factories import make_area

    for name, code in (("Thôn 10", "AR-XA-T10"), ("Thôn Đông", "AR-XA-TD"), ("Thôn 2", "AR-XA-T2"), ("Thôn Yên", "Y")):
        make_area(parent=tree.area_a, name=name, code=code)

    choices = [label for _value, label in officer_a.get(CREATE_URL).context["form"].fields["residence_area"].choices]

    assert choices[1:] == ["Thôn 1", "Thôn 2", "Thôn 10", "Thôn Đông", "Thôn Yên"]
