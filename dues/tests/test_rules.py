"""The dues rules as data: the seeded rates of 01-QĐ/TW (2026), exact money and the stated rounding."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues.choices import DuesBasis, ExemptionGround, WageRegion
from dues.models import DuesProfile, DuesRate
from dues.rules import DuesRules, reaches_party_age, whole_dong
from dues.services import exemption_record, profile_record

FEBRUARY = datetime.date(2026, 2, 1)
NOVEMBER = datetime.date(2026, 11, 1)
JOINED = datetime.date(1990, 5, 19)


def due(rules, profile, month=NOVEMBER, exemptions=(), joined_on=JOINED):
    return rules.due(month=month, joined_on=joined_on, profile=profile, exemptions=list(exemptions))


def profile(basis, **fields) -> DuesProfile:
    return DuesProfile(basis=basis, starts_on=FEBRUARY, **fields)


@pytest.fixture
def rules(db) -> DuesRules:
    return DuesRules.load()


def test_an_insured_member_pays_one_percent_of_the_salary_rounded_half_up_to_the_dong(rules):
    assert due(rules, profile(DuesBasis.SOCIAL_INSURANCE_SALARY, amount=Decimal(4_965_450))) == Decimal(49_655)
    assert due(rules, profile(DuesBasis.SOCIAL_INSURANCE_SALARY, amount=Decimal(4_965_449))) == Decimal(49_654)


def test_a_pensioner_pays_half_a_percent_of_the_pension(rules):
    assert due(rules, profile(DuesBasis.PENSION, amount=Decimal(6_000_000))) == Decimal(30_000)


def test_a_student_pays_five_thousand_dong(rules):
    assert due(rules, profile(DuesBasis.STUDENT)) == Decimal(5_000)


def test_without_insurance_the_share_of_the_regional_minimum_wage_rises_in_2028(rules):
    working = profile(DuesBasis.MINIMUM_WAGE_WORKING_AGE, wage_region=WageRegion.REGION_I)
    retired = profile(DuesBasis.MINIMUM_WAGE_RETIREMENT_AGE, wage_region=WageRegion.REGION_IV)

    assert due(rules, working) == Decimal(15_930)  # 0.3 % of 5,310,000
    assert due(rules, retired) == Decimal(7_400)  # 0.2 % of 3,700,000
    assert due(rules, working, month=datetime.date(2028, 1, 1)) == Decimal(26_550)  # 0.5 %


def test_before_the_rule_took_effect_nothing_can_be_reckoned(rules):
    assert due(rules, profile(DuesBasis.PENSION, amount=Decimal(6_000_000)), month=datetime.date(2026, 1, 1)) is None


def test_a_new_rate_is_a_row_of_data_not_code(rules):
    DuesRate.objects.create(
        basis=DuesBasis.STUDENT, valid_from=datetime.date(2027, 1, 1), fixed_amount=Decimal(6_000), source="test"
    )

    fresh = DuesRules.load()

    assert due(fresh, profile(DuesBasis.STUDENT), month=datetime.date(2026, 12, 1)) == Decimal(5_000)
    assert due(fresh, profile(DuesBasis.STUDENT), month=datetime.date(2027, 1, 1)) == Decimal(6_000)


def test_fifty_years_of_party_age_exempts_from_the_month_after_the_anniversary(rules):
    pension = profile(DuesBasis.PENSION, amount=Decimal(6_000_000))
    joined = datetime.date(1976, 10, 15)

    assert due(rules, pension, month=datetime.date(2026, 10, 1), joined_on=joined) == Decimal(30_000)
    assert due(rules, pension, month=datetime.date(2026, 11, 1), joined_on=joined) == Decimal(0)
    assert reaches_party_age(datetime.date(1976, 2, 29), datetime.date(2026, 4, 1))


def test_a_hardship_reduction_takes_its_share_off_and_rounds_again(tree, rules):
    secretary = tree.users["secretary_a1"]
    exemption = exemption_record(
        actor=secretary,
        member=tree.member_a1,
        ground=ExemptionGround.HARDSHIP,
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 11, 30),
        reduction_percent=30,
    )
    salary = profile(DuesBasis.SOCIAL_INSURANCE_SALARY, amount=Decimal(5_000_050))

    assert due(rules, salary, exemptions=[exemption]) == Decimal(35_001)  # 50,001 less 30 % = 35,000.7
    assert due(rules, salary, month=datetime.date(2026, 12, 1), exemptions=[exemption]) == Decimal(50_001)


def test_a_voluntary_amount_above_the_rule_is_what_is_due(rules):
    assert due(rules, profile(DuesBasis.STUDENT, voluntary_amount=Decimal(20_000))) == Decimal(20_000)
    assert due(rules, profile(DuesBasis.PENSION, amount=Decimal(6_000_000), voluntary_amount=Decimal(10_000))) == (
        Decimal(30_000)
    )


def test_whole_dong_keeps_decimals_exact():
    assert whole_dong(Decimal("0.5")) == Decimal(1)
    assert whole_dong(Decimal("49654.4999")) == Decimal(49_654)


def test_hardship_is_granted_for_at_most_twelve_months(tree):
    with pytest.raises(ValidationError) as error:
        exemption_record(
            actor=tree.users["secretary_a1"],
            member=tree.member_a1,
            ground=ExemptionGround.HARDSHIP,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2027, 1, 1),
            reduction_percent=50,
        )

    assert "ends_on" in error.value.message_dict


def test_a_full_ground_exempts_entirely_whatever_reduction_is_asked(tree):
    exemption = exemption_record(
        actor=tree.users["secretary_a1"],
        member=tree.member_a1,
        ground=ExemptionGround.SERIOUS_ILLNESS,
        starts_on=datetime.date(2026, 3, 1),
        reduction_percent=30,
    )

    assert exemption.reduction_percent == 100


def test_a_salary_in_fractions_of_a_dong_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        profile_record(
            actor=tree.users["secretary_a1"],
            member=tree.member_a1,
            starts_on=FEBRUARY,
            basis=DuesBasis.SOCIAL_INSURANCE_SALARY,
            amount="4500000.5",
        )

    assert "amount" in error.value.message_dict


def test_a_change_of_basis_is_a_new_row_from_a_later_month_and_is_logged(tree):
    from audit.models import ChangeLog

    secretary = tree.users["secretary_a1"]
    profile_record(
        actor=secretary,
        member=tree.member_a1,
        starts_on=FEBRUARY,
        basis=DuesBasis.SOCIAL_INSURANCE_SALARY,
        amount=8_000_000,
    )
    later = profile_record(
        actor=secretary,
        member=tree.member_a1,
        starts_on=datetime.date(2026, 9, 14),
        basis=DuesBasis.PENSION,
        amount=6_000_000,
    )

    assert later.starts_on == datetime.date(2026, 9, 1)
    assert list(tree.member_a1.dues_profiles.values_list("basis", flat=True)) == ["social_insurance_salary", "pension"]
    assert ChangeLog.objects.filter(object_id=later.pk, object_repr__contains="09/2026").exists()
    with pytest.raises(ValidationError):
        profile_record(actor=secretary, member=tree.member_a1, starts_on=FEBRUARY, basis=DuesBasis.STUDENT)


def test_only_those_who_record_dues_on_the_cell_may_set_a_basis(tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        profile_record(
            actor=tree.users["officer_b"], member=tree.member_a1, starts_on=FEBRUARY, basis=DuesBasis.STUDENT
        )

    assert not DuesProfile.objects.exists()
