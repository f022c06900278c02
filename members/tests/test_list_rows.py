"""The member list's rows are kept rendered (common/rows.py): a change shows at once, and one officer's rows never
show on another's page."""

from django.urls import reverse

from members.choices import MemberStatus
from members.services import member_update
from orgunits.services import unit_update

LIST_URL = reverse("members:list")


def results(client) -> str:
    """The list's rows and total, without the filters' options (htmx asks for them alone)."""
    return client.get(LIST_URL, headers={"HX-Request": "true"}).text


def test_a_changed_record_shows_on_the_list_at_once(officer_a, tree):
    officer_a.get(LIST_URL)

    member_update(
        actor=tree.users["officer_a"],
        member=tree.member_a1,
        data={
            "full_name": "Nguyễn Văn Anh",
            "card_number": "12345678",
            "is_eligible": False,
            "ineligibility_reason": "no_smartphone",
        },
    )
    response = officer_a.get(LIST_URL)

    assert "Nguyễn Văn Anh" in response.text
    assert "12345678" in response.text
    assert "Nguyễn Văn An<" not in response.text


def test_a_changed_status_shows_on_the_list_at_once(officer_a, tree):
    label = str(MemberStatus.TEMPORARILY_EXEMPT.label)
    assert label not in results(officer_a)

    member_update(
        actor=tree.users["officer_a"], member=tree.member_a1, data={"status": MemberStatus.TEMPORARILY_EXEMPT}
    )

    assert label in results(officer_a)


def test_a_renamed_cell_shows_on_the_list_at_once(officer_a, tree):
    officer_a.get(LIST_URL)

    unit_update(actor=tree.users["officer_a"], unit=tree.cell_a1, name="Chi bộ thôn Một", reason="Đổi tên")

    assert "Chi bộ thôn Một" in officer_a.get(LIST_URL).text


def test_the_rows_one_officer_saw_never_show_on_another_officers_list(client, tree):
    client.force_login(tree.users["officer_a"])
    assert "Nguyễn Văn An" in client.get(LIST_URL).text

    client.force_login(tree.users["officer_b"])
    response = client.get(LIST_URL)

    assert "Lê Văn Cường" in response.text
    assert "Nguyễn Văn An" not in response.text
    assert "Trần Thị Bình" not in response.text
