"""Votes in a meeting: the quorum and passing rules, exempt and probationary members, secrecy, and closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from accounts.choices import RoleKind
from accounts.tests.factories import make_user
from audit.models import ChangeLog
from meetings import selectors, services
from meetings.choices import PassingRule, Presence, VoteChoice, VoteMethod
from meetings.models import BallotTally, Vote, VoteCast
from members.choices import MemberStatus, Standing
from members.tests.factories import make_member

from .factories import started_meeting

AWAY_SINCE = datetime.date(2026, 9, 1)


def cell_with(tree, *, official=0, probationary=0, exempt=0, away=0):
    """Members added to cell A1 (which already has member_a1, official), each with an account."""
    made = {"official": [tree.member_a1], "probationary": [], "exempt": [], "away": []}
    for kind, count, fields in (
        ("official", official, {}),
        ("probationary", probationary, {"standing": Standing.PROBATIONARY, "official_on": None}),
        ("exempt", exempt, {"status": MemberStatus.EXEMPT}),
        ("away", away, {"status": MemberStatus.TRANSFERRED_OUT_TEMPORARILY, "transferred_out_on": AWAY_SINCE}),
    ):
        for _index in range(count):
            made[kind].append(make_member(unit=tree.cell_a1, **fields))
    return made


def user_of(member):
    return make_user(role=RoleKind.MEMBER, unit=member.unit, username=f"m{member.pk}", member=member)


def mark_present(tree, meeting, members):
    services.attendance_mark_many(
        actor=tree.users["secretary_a1"], meeting=meeting, presences={member.pk: Presence.PRESENT for member in members}
    )


def test_exempt_members_who_are_absent_and_members_away_do_not_count_towards_the_quorum(tree):
    # Given 4 official members (member_a1 and 3 more), 2 exempt, 1 transferred out temporarily, 2 probationary
    members = cell_with(tree, official=3, exempt=2, away=1, probationary=2)
    meeting = started_meeting(unit=tree.cell_a1)

    # When 3 of the 4 official members come (the probationary ones too, who do not count)
    mark_present(tree, meeting, members["official"][:3] + members["probationary"])

    figures = selectors.vote_figures(meeting=meeting)
    assert (figures.members_with_a_vote, figures.members_present) == (4, 3)
    assert figures.has_quorum


def test_without_more_than_half_of_the_official_members_present_no_vote_opens(tree):
    members = cell_with(tree, official=3, probationary=3)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"][:2] + members["probationary"])  # 2 of 4: exactly half

    with pytest.raises(ValidationError) as raised:
        services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Kết nạp đảng viên")

    assert "2 of 4" in str(raised.value)
    assert not Vote.objects.exists()


def test_a_show_of_hands_passes_with_more_than_half_of_the_official_members_with_a_vote(tree):
    members = cell_with(tree, official=5)  # 6 official members
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"][:5])
    secretary = tree.users["secretary_a1"]
    three = services.vote_open(actor=secretary, meeting=meeting, matter="Phương án A")
    four = services.vote_open(actor=secretary, meeting=meeting, matter="Phương án B")

    services.vote_close(actor=secretary, vote=three, count_for=3, count_against=2, count_abstain=0)
    services.vote_close(actor=secretary, vote=four, count_for=4, count_against=1, count_abstain=0)

    three.refresh_from_db()
    four.refresh_from_db()
    assert (three.is_passed, four.is_passed) == (False, True)  # 3 of 6 is not more than half; 4 of 6 is
    assert (four.members_with_a_vote, four.members_present, four.has_quorum) == (6, 5, True)


def test_the_passing_rule_is_a_setting_of_the_vote(tree):
    members = cell_with(tree, official=5)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"][:4])
    secretary = tree.users["secretary_a1"]
    of_present = services.vote_open(
        actor=secretary, meeting=meeting, matter="Kế hoạch", passing_rule=PassingRule.MAJORITY_OF_VOTERS
    )
    two_thirds = services.vote_open(
        actor=secretary, meeting=meeting, matter="Khai trừ", passing_rule=PassingRule.TWO_THIRDS_OF_ROLL
    )

    services.vote_close(actor=secretary, vote=of_present, count_for=3, count_against=1, count_abstain=0)
    services.vote_close(actor=secretary, vote=two_thirds, count_for=3, count_against=1, count_abstain=0)

    assert Vote.objects.get(pk=of_present.pk).is_passed  # 3 of 4 voting
    assert not Vote.objects.get(pk=two_thirds.pk).is_passed  # 3 of 6 is under two thirds


def test_more_hands_than_members_present_who_may_vote_are_refused(tree):
    members = cell_with(tree, official=2, probationary=1)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"] + members["probationary"])
    vote = services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung")

    with pytest.raises(ValidationError) as raised:
        services.vote_close(actor=tree.users["secretary_a1"], vote=vote, count_for=4, count_against=0, count_abstain=0)

    assert "count_for" in raised.value.message_dict
    assert Vote.objects.get(pk=vote.pk).is_open


def test_probationary_members_do_not_vote_unless_the_vote_lets_them(tree):
    members = cell_with(tree, official=1, probationary=1)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"] + members["probationary"])
    probationary = user_of(members["probationary"][0])
    secretary = tree.users["secretary_a1"]
    decision = services.vote_open(actor=secretary, meeting=meeting, matter="Nghị quyết", method=VoteMethod.ELECTRONIC)
    opinion = services.vote_open(
        actor=secretary,
        meeting=meeting,
        matter="Lấy ý kiến",
        method=VoteMethod.ELECTRONIC,
        probationary_members_vote=True,
    )

    with pytest.raises(PermissionDenied):
        services.ballot_cast(user=probationary, vote=decision, choice=VoteChoice.FOR)
    services.ballot_cast(user=probationary, vote=opinion, choice=VoteChoice.FOR)

    assert not VoteCast.objects.filter(vote=decision).exists()
    assert VoteCast.objects.filter(vote=opinion, member=members["probationary"][0]).exists()


def test_a_member_who_is_not_present_cannot_vote_electronically(tree):
    members = cell_with(tree, official=2)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"][1:])  # member_a1 is not there
    vote = services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung", method=VoteMethod.ELECTRONIC
    )

    with pytest.raises(PermissionDenied):
        services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.FOR)
    assert not BallotTally.objects.filter(count__gt=0).exists()


def test_a_secret_vote_keeps_who_voted_but_nothing_links_a_voter_to_a_choice(tree):
    # Given a secret electronic vote with three present members
    members = cell_with(tree, official=2)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"])
    vote = services.vote_open(
        actor=tree.users["secretary_a1"],
        meeting=meeting,
        matter="Bầu bí thư",
        method=VoteMethod.ELECTRONIC,
        is_secret=True,
    )
    choices = [VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.FOR]

    # When each votes
    users = [tree.users["member_a1"], *(user_of(member) for member in members["official"][1:])]
    for user, choice in zip(users, choices, strict=True):
        services.ballot_cast(user=user, vote=vote, choice=choice)

    # Then who voted is known, and the ballots count the choices...
    assert set(VoteCast.objects.filter(vote=vote).values_list("member_id", flat=True)) == {
        member.pk for member in members["official"]
    }
    assert selectors.ballot_counts(vote=vote) == {"for": 2, "against": 1, "abstain": 0}
    # ...but no row is written per ballot, only a count per choice, with no column naming a member, a user or a
    # time: neither the rows' order nor their times can tie a choice to the member who voted at that moment,
    tally_columns = {field.name for field in BallotTally._meta.concrete_fields}
    assert tally_columns == {"id", "vote", "choice", "count"}
    assert not any(isinstance(field, models.DateTimeField) for field in BallotTally._meta.concrete_fields)
    assert BallotTally.objects.filter(vote=vote).count() == 2  # for and against: one row each, three ballots
    # the record of who voted holds no choice, and the change log of the vote holds no choice either.
    assert set(VoteCast.objects.filter(vote=vote).values_list("choice", flat=True)) == {""}
    logged = ChangeLog.objects.filter(object_type__model__in=["votecast", "ballottally"])
    assert logged.count() == 3
    assert all(entry.postchange_data["choice"] == "" for entry in logged)
    assert not ChangeLog.objects.filter(object_type__model="ballottally").exists()


def test_an_open_electronic_vote_keeps_each_members_choice(tree):
    members = cell_with(tree, official=1)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"])
    vote = services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung", method=VoteMethod.ELECTRONIC
    )

    services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.AGAINST)

    assert VoteCast.objects.get(vote=vote, member=tree.member_a1).choice == VoteChoice.AGAINST


def test_a_member_votes_once(tree):
    members = cell_with(tree, official=1)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"])
    vote = services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung", method=VoteMethod.ELECTRONIC
    )
    services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.FOR)

    with pytest.raises(ValidationError):
        services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.AGAINST)
    assert selectors.ballot_counts(vote=vote) == {"for": 1, "against": 0, "abstain": 0}


def test_a_closed_vote_cannot_be_changed_and_its_result_is_in_the_minutes(tree):
    members = cell_with(tree, official=2)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"])
    secretary = tree.users["secretary_a1"]
    vote = services.vote_open(actor=secretary, meeting=meeting, matter="Kế hoạch năm", method=VoteMethod.ELECTRONIC)
    services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.FOR)
    services.ballot_cast(user=user_of(members["official"][1]), vote=vote, choice=VoteChoice.FOR)

    services.vote_close(actor=secretary, vote=vote)

    with pytest.raises(ValidationError):
        services.ballot_cast(user=user_of(members["official"][2]), vote=vote, choice=VoteChoice.AGAINST)
    with pytest.raises(ValidationError):
        services.vote_close(actor=secretary, vote=vote)
    vote.refresh_from_db()
    assert (vote.count_for, vote.count_against, vote.is_passed) == (2, 0, True)  # 2 of 3 official members
    meeting.refresh_from_db()
    assert "Kế hoạch năm" in meeting.minutes


def test_a_show_of_hands_cannot_be_secret(tree):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])

    with pytest.raises(ValidationError):
        services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="X", is_secret=True)


def test_only_those_who_manage_the_cell_open_and_close_votes(tree):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])
    vote = services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung")

    for user in (tree.users["member_a1"], tree.users["province_viewer"], tree.users["officer_b"]):
        with pytest.raises(PermissionDenied):
            services.vote_open(actor=user, meeting=meeting, matter="Khác")
        with pytest.raises(PermissionDenied):
            services.vote_close(actor=user, vote=vote, count_for=1, count_against=0, count_abstain=0)
    assert Vote.objects.get(pk=vote.pk).is_open


def test_votes_are_held_only_once_the_meeting_has_started(tree):
    meeting = started_meeting(unit=tree.cell_a1, minutes_ago=-60)

    with pytest.raises(ValidationError):
        services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Sớm")
    assert not Vote.objects.exists()


def test_the_secretary_opens_a_vote_and_a_present_member_votes_on_the_page(tree, client):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])
    client.force_login(tree.users["secretary_a1"])
    opened = client.post(
        reverse("meetings:votes", args=[meeting.pk]),
        {"matter": "Kế hoạch năm", "method": "electronic", "is_secret": "on", "passing_rule": "majority_of_roll"},
    )
    vote = Vote.objects.get(meeting=meeting)
    assert opened.status_code == 302
    assert (vote.method, vote.is_secret) == (VoteMethod.ELECTRONIC, True)

    client.force_login(tree.users["member_a1"])
    page = client.get(reverse("meetings:votes", args=[meeting.pk]))
    assert "Voting needs a connection" in page.content.decode()
    cast = client.post(reverse("meetings:ballot"), {"vote": vote.pk, "choice": "for"})

    assert cast.status_code == 302
    assert selectors.ballot_counts(vote=vote)["for"] == 1
    assert "You have voted." in client.get(reverse("meetings:votes", args=[meeting.pk])).content.decode()


def test_a_member_of_another_cell_cannot_reach_a_vote(tree, client):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])
    vote = services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung", method=VoteMethod.ELECTRONIC
    )
    outsider = make_user(role=RoleKind.MEMBER, unit=tree.cell_a2, username="member_a2", member=tree.member_a2)
    client.force_login(outsider)

    response = client.post(reverse("meetings:ballot"), {"vote": vote.pk, "choice": "for"})

    assert response.status_code == 404
    assert not BallotTally.objects.filter(count__gt=0).exists()


def test_a_province_viewer_sees_the_meeting_but_not_its_votes_or_comments(tree, client):
    meeting = started_meeting(unit=tree.cell_a1)
    client.force_login(tree.users["province_viewer"])

    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:votes", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:comments", args=[meeting.pk])).status_code == 403


def test_the_secretary_closes_a_show_of_hands_on_the_page_and_the_result_is_shown(tree, client):
    members = cell_with(tree, official=2)
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, members["official"])
    vote = services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Kế hoạch năm")
    client.force_login(tree.users["secretary_a1"])

    client.post(
        reverse("meetings:vote_close", args=[vote.pk]), {"count_for": "2", "count_against": "1", "count_abstain": "0"}
    )

    page = client.get(reverse("meetings:votes", args=[meeting.pk])).content.decode()
    assert "2 for, 1 against, 0 abstaining" in page
    assert "; passed." in page


def test_the_minutes_wait_until_every_vote_is_closed(tree):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])
    vote = services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Nội dung")

    with pytest.raises(ValidationError) as raised:
        services.minutes_record(actor=tree.users["secretary_a1"], meeting=meeting, minutes="Biên bản")
    services.vote_close(actor=tree.users["secretary_a1"], vote=vote, count_for=1, count_against=0, count_abstain=0)
    services.minutes_record(actor=tree.users["secretary_a1"], meeting=meeting, minutes="Biên bản")

    assert "minutes" in raised.value.message_dict
    meeting.refresh_from_db()
    assert meeting.minutes_recorded_at is not None


def test_the_votes_page_reads_a_fixed_number_of_queries(tree, client, django_assert_max_num_queries):
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [tree.member_a1])
    services.vote_open(actor=tree.users["secretary_a1"], meeting=meeting, matter="Một", method=VoteMethod.ELECTRONIC)
    client.force_login(tree.users["member_a1"])
    url = reverse("meetings:votes", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured.captured_queries)
    for matter in ("Hai", "Ba", "Bốn"):
        vote = services.vote_open(
            actor=tree.users["secretary_a1"], meeting=meeting, matter=matter, method=VoteMethod.ELECTRONIC
        )
        services.ballot_cast(user=tree.users["member_a1"], vote=vote, choice=VoteChoice.FOR)
    services.vote_close(actor=tree.users["secretary_a1"], vote=vote)

    with django_assert_max_num_queries(few):
        response = client.get(url)

    assert response.content.decode().count("You have voted.") == 2


def test_an_exempt_member_who_comes_is_marked_present_counts_towards_the_quorum_and_votes(tree, client):
    # Given 2 official members (member_a1 and one more) and an exempt official member, at a started meeting
    members = cell_with(tree, official=1, exempt=1)
    exempt = members["exempt"][0]
    meeting = started_meeting(unit=tree.cell_a1)
    assert selectors.vote_figures(meeting=meeting).members_with_a_vote == 2

    # The secretary's sheet offers the exempt member apart; "all present" leaves them out
    client.force_login(tree.users["secretary_a1"])
    page = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert exempt.full_name in page.content.decode()
    assert page.context["coming_anyway"] == [exempt]
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"all_present": "1"})
    assert not meeting.attendances.filter(member=exempt).exists()

    # When the exempt member comes and is marked present
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"member": exempt.pk, "presence": "present"})

    # Then they count (3 with a vote, 3 present), may vote, and are no longer offered apart
    figures = selectors.vote_figures(meeting=meeting)
    assert (figures.members_with_a_vote, figures.members_present) == (3, 3)
    vote = services.vote_open(
        actor=tree.users["secretary_a1"], meeting=meeting, matter="Nghị quyết", method=VoteMethod.ELECTRONIC
    )
    assert selectors.may_vote(vote=vote, member=exempt)
    assert client.get(reverse("meetings:attendance", args=[meeting.pk])).context["coming_anyway"] == []


def test_an_exempt_member_marked_present_by_mistake_is_undone_and_leaves_the_sheet(tree):
    exempt = cell_with(tree, exempt=1)["exempt"][0]
    meeting = started_meeting(unit=tree.cell_a1)
    mark_present(tree, meeting, [exempt])
    assert [row.member for row in selectors.attendance_sheet(meeting=meeting)].count(exempt) == 1

    services.attendance_mark_many(
        actor=tree.users["secretary_a1"], meeting=meeting, presences={exempt.pk: Presence.UNKNOWN}
    )

    assert exempt not in [row.member for row in selectors.attendance_sheet(meeting=meeting)]
    assert selectors.vote_figures(meeting=meeting).members_with_a_vote == 1


def test_a_member_who_left_cannot_be_marked_present(tree):
    left = make_member(
        unit=tree.cell_a1, status=MemberStatus.LEFT, left_on=datetime.date(2026, 6, 1), leaving_form="resigned"
    )
    meeting = started_meeting(unit=tree.cell_a1)

    with pytest.raises(ValidationError):
        services.attendance_mark(actor=tree.users["secretary_a1"], meeting=meeting, member=left, presence="present")
