"""The procedure guide: entries written by a committee for its subtree, searched without diacritics, linked from
the transfer page; the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.tests.api import api_client
from guide import selectors
from guide.models import GuideEntry
from guide.services import entry_update

from .factories import write

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_members_read_the_entries_of_the_committees_above_them_only(tree):
    ours = write(tree)
    theirs = write(tree, unit=tree.commune_b, actor=tree.users["officer_b"], title="Quy trình của xã B")
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")
    province = write(tree, unit=tree.province, actor=province_officer, title="Đóng đảng phí", topic="dues")

    assert set(selectors.entry_list(actor=tree.users["member_a1"])) == {ours, province}
    assert set(selectors.entry_list(actor=tree.users["officer_b"])) == {theirs, province}
    assert set(selectors.entry_list(actor=tree.users["province_viewer"])) == {ours, theirs, province}
    assert list(selectors.entry_list(actor=tree.users["no_role"])) == []


def test_search_finds_every_word_with_or_without_diacritics_and_by_topic(tree):
    transfer = write(tree)
    dues = write(
        tree, topic="dues", title="Đóng đảng phí hằng tháng", steps="Nộp cho bí thư chi bộ", forms_needed="", summary=""
    )
    member = tree.users["member_a1"]

    assert list(selectors.entry_list(actor=member, search="chuyen sinh hoat")) == [transfer]
    assert list(selectors.entry_list(actor=member, search="ĐÓNG ĐẢNG PHÍ")) == [dues]
    assert list(selectors.entry_list(actor=member, search="giay gioi thieu")) == [transfer]
    assert list(selectors.entry_list(actor=member, search="chuyen hang thang")) == []  # every word must be found
    assert list(selectors.entry_list(actor=member, topic="dues")) == [dues]


def test_only_the_committee_writes_and_steps_are_required(tree):
    with pytest.raises(PermissionDenied):
        write(tree, actor=tree.users["member_a1"])
    with pytest.raises(ValidationError) as error:
        write(tree, steps=" \n ")
    assert "steps" in error.value.message_dict
    entry = write(tree)
    with pytest.raises(PermissionDenied):
        entry_update(actor=tree.users["officer_b"], entry=entry, data={"title": "X", "steps": "Y", "topic": "other"})
    entry = entry_update(
        actor=tree.users["officer_a"],
        entry=entry,
        data={"title": "Chuyển sinh hoạt", "steps": "Bước một", "topic": "transfer"},
    )
    assert entry.step_list == ["Bước một"] and "buoc mot" in entry.search_text


def test_the_member_reads_the_steps_and_finds_the_guide_from_the_transfer_page(tree):
    entry = write(tree)
    member = signed_in(tree.users["member_a1"])

    page = member.get(f"/guide/{entry.pk}/").content.decode()
    assert "<ol" in page and "Nhận giấy giới thiệu" in page and "Phiếu báo chuyển sinh hoạt đảng" in page
    assert "/guide/?topic=transfer" in member.get("/transfers/apply/").content.decode()
    assert entry.title in member.get("/guide/?topic=transfer&q=chuyen").content.decode()


def test_the_committee_writes_an_entry_on_its_page(tree):
    officer = signed_in(tree.users["officer_a"])
    response = officer.post(
        "/guide/new/",
        {
            "unit": tree.commune_a.code,
            "topic": "rating",
            "title": "Đánh giá cuối năm",
            "steps": "Tự kiểm điểm\nChi bộ họp",
        },
    )
    entry = GuideEntry.objects.get()
    assert response.status_code == 302 and entry.step_list == ["Tự kiểm điểm", "Chi bộ họp"]
    assert signed_in(tree.users["member_a1"]).get("/guide/new/").status_code == 403


def test_the_api_lists_and_searches(tree):
    entry = write(tree)
    body = api_client(tree.users["member_a1"]).get("/api/guide?q=chuyen").json()
    assert [row["id"] for row in body] == [entry.pk] and body[0]["steps"][0] == "Viết đơn xin chuyển sinh hoạt đảng"
    assert api_client(tree.users["officer_b"]).get(f"/api/guide/{entry.pk}").status_code == 404
