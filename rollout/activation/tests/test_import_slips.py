"""Accounts and activation slips for the members of an applied import, in one step."""

from django.urls import reverse

from accounts.models import ActivationCode, User
from members.importing import services
from members.importing.tests.test_import import preview, roster_csv, row_for
from members.models import Member
from members.tests.factories import member_data


def test_one_button_issues_accounts_and_slips_for_the_new_and_changed_members_of_an_import(client, tree):
    # Given an applied import of commune A that added one member and changed member_a2's phone
    officer = tree.users["officer_a"]
    content = roster_csv(
        [
            row_for(member_data(unit=tree.cell_a1, full_name="Đỗ Văn Nhập"), number=1),
            row_for(tree.member_a2, number=2, phone="0987000111"),
        ]
    )
    job = services.import_job_commit(actor=officer, job=preview(officer, tree.commune_a, content))
    new_member = Member.objects.get(full_name="Đỗ Văn Nhập")
    client.force_login(officer)
    assert (
        reverse("activation:import_slips", args=[job.pk])
        in client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    )

    # When the officer presses the button
    response = client.post(reverse("activation:import_slips", args=[job.pk]), follow=True)

    # Then both members have an account waiting, a usable slip code each, and their slips are printed
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("activation:activation_slips", args=[tree.commune_a.code])
    for member in (new_member, tree.member_a2):
        user = User.objects.get(member=member)
        assert ActivationCode.objects.usable().filter(user=user).count() == 1
        assert member.full_name in page and user.username in page
    assert tree.member_a1.full_name not in page


def test_slips_are_refused_before_the_import_is_applied(client, tree):
    officer = tree.users["officer_a"]
    job = preview(officer, tree.commune_a, roster_csv([row_for(member_data(unit=tree.cell_a1), number=1)]))
    client.force_login(officer)

    client.post(reverse("activation:import_slips", args=[job.pk]))

    assert not ActivationCode.objects.exists()
