import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.choices import ChangeAction
from audit.models import ChangeLog
from common.indicators import indicator_get
from common.tests.clock import TODAY
from residence.choices import RegistrationStatus
from residence.selectors import (
    feedback_for_work_cell,
    members_living_here,
    registrations_visible,
    suggested_residential_cell,
)
from residence.services import feedback_give, registration_accept, registration_refuse, registration_request

pytestmark = pytest.mark.django_db


def _figure(key, target, as_of=TODAY):
    return indicator_get(key).compute(target, as_of)


def test_the_home_village_cell_is_suggested(tree, teachers):
    assert suggested_residential_cell(teachers.teacher) == tree.cell_a1
    assert suggested_residential_cell(tree.member_a2) is None


def test_request_accept_and_feedback_are_logged_and_seen_by_both_cells(tree, teachers):
    registration = registration_request(
        actor=teachers.teacher_user, member=teachers.teacher, residential_unit=tree.cell_a1
    )
    assert registration.status == RegistrationStatus.REQUESTED
    assert registration.work_unit == tree.cell_ag1

    registration_accept(actor=tree.users["secretary_a1"], registration=registration)
    registration.refresh_from_db()
    assert (registration.status, registration.decided_on) == (RegistrationStatus.ACCEPTED, TODAY)
    assert list(members_living_here(tree.users["secretary_a1"], tree.cell_a1)) == [registration]

    feedback = feedback_give(
        actor=tree.users["secretary_a1"],
        registration=registration,
        year=TODAY.year,
        keeps_contact=True,
        sets_example=True,
        takes_part=False,
        remarks="Ít tham gia sinh hoạt khu dân cư.",
    )
    assert list(feedback_for_work_cell(teachers.school_secretary, tree.cell_ag1, year=TODAY.year)) == [feedback]
    assert [entry.action for entry in ChangeLog.objects.for_object(registration).order_by("pk")] == [
        ChangeAction.CREATE,
        ChangeAction.STATUS,
    ]
    assert ChangeLog.objects.for_object(feedback).get().action == ChangeAction.CREATE


def test_each_side_sees_only_its_own_and_committees_their_subtree(tree, teachers):
    registration = registration_request(
        actor=teachers.school_secretary, member=teachers.teacher, residential_unit=tree.cell_a1
    )
    assert list(registrations_visible(teachers.school_secretary)) == [registration]
    assert list(registrations_visible(tree.users["secretary_a1"])) == [registration]
    assert list(registrations_visible(tree.users["officer_a"])) == [registration]
    assert list(registrations_visible(tree.users["officer_b"])) == []
    assert list(registrations_visible(tree.users["no_role"])) == []
    with pytest.raises(PermissionDenied):
        members_living_here(tree.users["officer_b"], tree.cell_a1)
    with pytest.raises(PermissionDenied):
        feedback_for_work_cell(tree.users["secretary_a1"], tree.cell_ag1, year=TODAY.year)


def test_only_the_member_or_their_cell_requests_and_only_the_residential_cell_decides(tree, teachers):
    with pytest.raises(PermissionDenied):
        registration_request(actor=tree.users["secretary_a1"], member=teachers.teacher, residential_unit=tree.cell_a1)
    registration = registration_request(
        actor=teachers.teacher_user, member=teachers.teacher, residential_unit=tree.cell_a1
    )
    with pytest.raises(PermissionDenied):
        registration_accept(actor=teachers.school_secretary, registration=registration)
    with pytest.raises(PermissionDenied):
        registration_accept(actor=tree.users["officer_b"], registration=registration)


def test_who_may_register_and_where(tree, teachers):
    # A village cell's member lives where their cell is: nothing to register.
    with pytest.raises(ValidationError):
        registration_request(actor=tree.users["officer_a"], member=tree.member_a1, residential_unit=tree.cell_a1)
    # The school's cell is no residential cell.
    with pytest.raises(ValidationError):
        registration_request(actor=teachers.school_secretary, member=teachers.teacher, residential_unit=tree.cell_ag1)
    registration_request(actor=teachers.school_secretary, member=teachers.teacher, residential_unit=tree.cell_a1)
    with pytest.raises(ValidationError):
        registration_request(actor=teachers.school_secretary, member=teachers.teacher, residential_unit=tree.cell_a1)


def test_a_refusal_needs_a_reason_and_frees_the_member_to_ask_again(tree, teachers):
    registration = registration_request(
        actor=teachers.teacher_user, member=teachers.teacher, residential_unit=tree.cell_a1
    )
    with pytest.raises(ValidationError):
        registration_refuse(actor=tree.users["secretary_a1"], registration=registration, reason=" ")
    registration_refuse(
        actor=tree.users["secretary_a1"], registration=registration, reason="Đồng chí không cư trú tại thôn."
    )
    with pytest.raises(ValidationError):
        registration_accept(actor=tree.users["secretary_a1"], registration=registration)
    with pytest.raises(ValidationError):
        feedback_give(
            actor=tree.users["secretary_a1"],
            registration=registration,
            year=TODAY.year,
            keeps_contact=True,
            sets_example=True,
            takes_part=True,
        )
    registration_request(actor=teachers.teacher_user, member=teachers.teacher, residential_unit=tree.cell_a1)


def test_figures_per_work_subtree_and_residential_subtree(tree, teachers):
    first = registration_request(actor=teachers.teacher_user, member=teachers.teacher, residential_unit=tree.cell_a1)
    second = registration_request(
        actor=teachers.school_secretary, member=teachers.colleague, residential_unit=tree.cell_a1
    )
    registration_accept(actor=tree.users["secretary_a1"], registration=first)
    feedback_give(
        actor=tree.users["secretary_a1"],
        registration=first,
        year=TODAY.year,
        keeps_contact=True,
        sets_example=True,
        takes_part=True,
    )

    assert _figure("residence_required", tree.grassroots_a) == 2
    # cell_a2 and cell_b1 serve no village: their members count as working in an agency.
    assert _figure("residence_required", tree.commune_a) == 3
    assert _figure("residence_registered", tree.grassroots_a) == 1
    assert _figure("residence_registered", tree.grassroots_a, TODAY - datetime.timedelta(days=1)) == 0
    assert _figure("residence_feedback", tree.grassroots_a) == 1
    assert _figure("residence_feedback", tree.cell_b1) == 0
    assert _figure("residence_living_here", tree.cell_a1) == 1
    assert _figure("residence_living_here", tree.village_a1) == 1
    assert _figure("residence_living_here", tree.area_b) == 0
    assert _figure("residence_required", tree.village_a1) is None
    assert second.status == RegistrationStatus.REQUESTED
