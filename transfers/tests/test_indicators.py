"""Transfer figures for report templates: official transfers in and out of a subtree in the year to the cut-off."""

import datetime

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from common.indicators import indicator_get
from common.tests.clock import at
from transfers.services import letter_issue, transfer_receive

from .factories import apply, issued


def figure(key, target, as_of):
    return indicator_get(key).compute(target, as_of)


def test_transfers_in_and_out_count_moves_across_the_subtrees_edge(tree, pinned_clock):
    within = transfer_receive(actor=tree.users["officer_a"], transfer=issued(tree))  # cell A1 → A2, same commune
    across = issued(tree, member=tree.member_a2, actor=tree.users["officer_a"], to_unit=tree.cell_b1)
    province_officer = make_user(role=RoleKind.COMMITTEE_OFFICER, unit=tree.province, username="province_officer")
    out = letter_issue(
        actor=province_officer,
        transfer=apply(tree, member=tree.member_b1, actor=province_officer, outside_name="Đảng bộ Quân khu 7"),
    )
    pinned_clock.move_to(at(datetime.date(2026, 12, 10)))
    transfer_receive(actor=tree.users["officer_b"], transfer=across)
    day = datetime.date(2026, 12, 31)

    assert (figure("transfers_out", tree.commune_a, day), figure("transfers_in", tree.commune_a, day)) == (1, 0)
    assert (figure("transfers_out", tree.cell_a1, day), figure("transfers_in", tree.cell_a2, day)) == (1, 1)
    assert (figure("transfers_out", tree.commune_b, day), figure("transfers_in", tree.commune_b, day)) == (1, 1)
    assert (figure("transfers_out", tree.province, day), figure("transfers_in", tree.province, day)) == (1, 0)
    # Before commune B received the member, only the letter out of Sổ tay and the move inside commune A count.
    assert figure("transfers_in", tree.commune_b, datetime.date(2026, 12, 9)) == 0
    assert figure("transfers_out", tree.commune_b, datetime.date(2026, 12, 9)) == 1
    assert figure("transfers_out", tree.commune_a, datetime.date(2027, 1, 5)) == 0  # a new year
    assert figure("transfers_in", tree.area_a, day) is None
    assert (within.stage, out.stage) == ("received", "departed")


def test_transfers_late_counts_those_past_their_deadline(tree):
    transfer = issued(tree)
    assert figure("transfers_late", tree.commune_a, transfer.present_due) == 0
    assert figure("transfers_late", tree.commune_a, transfer.present_due + datetime.timedelta(days=1)) == 1
    assert figure("transfers_late", tree.commune_b, transfer.present_due + datetime.timedelta(days=1)) == 0
