"""Each eligibility rule, its reason code and sentence, and rule versions by effective date."""

import datetime as dt

import pytest

from hukou.codes import Relationship
from hukou.models import Guardianship
from schoolsync.models import CatchmentArea, EligibilityRule
from schoolsync.selectors.eligibility import eligibility_evaluate
from tests.factories import AddressFactory, CommunityFactory, HouseholdFactory, PersonFactory
from tests.schoolsync.eligibility_fixtures import TODAY, YEAR

pytestmark = pytest.mark.django_db


def evaluate(school, child, on=TODAY):
    return eligibility_evaluate(school=school, person=child, year=YEAR, on=on)


def reason(answer, code):
    return next(r for r in answer.reasons if r.code == code)


def codes(answer):
    return {r.code for r in answer.reasons}


def test_a_family_child_in_the_catchment_is_eligible_with_every_reason(school_east, family):
    answer = evaluate(school_east, family())
    assert answer.verdict == "eligible"
    assert codes(answer) == {"age_ok", "catchment_in", "registration_ok", "guardian_ok"}
    assert answer.rule_version == "360102001/2027/2026-09-01"
    assert reason(answer, "age_ok").message == "出生于2020-05-01，到2027-08-31已满6周岁。"
    assert "王父、李母" in reason(answer, "guardian_ok").message


def test_a_child_six_on_31_august_exactly_is_old_enough(school_east, family):
    answer = evaluate(school_east, family(birth_date=dt.date(2021, 8, 31)))
    assert answer.verdict == "eligible"
    assert "age_ok" in codes(answer)


def test_a_child_born_on_1_september_is_too_young(school_east, family):
    answer = evaluate(school_east, family(birth_date=dt.date(2021, 9, 1)))
    assert answer.verdict == "not_eligible"
    assert reason(answer, "age_too_young").message == "出生于2021-09-01，到2027-08-31未满6周岁。"


def test_the_registration_must_last_the_rule_months_by_the_cut_off(school_east, family, east_rule):
    exactly = evaluate(school_east, family(registered=dt.date(2026, 8, 31)))
    assert "registration_ok" in codes(exactly)
    short = evaluate(school_east, family(registered=dt.date(2026, 9, 1)))
    assert short.verdict == "not_eligible"
    assert reason(short, "registration_too_short").message == (
        "自2026-09-01起才在该地址登记户籍，到2027-08-31不满12个月。"
    )


def test_the_registration_months_are_per_school(school_east, family, east_rule):
    east_rule.min_registration_months = 36
    east_rule.save()
    answer = evaluate(school_east, family(registered=dt.date(2025, 1, 1)))
    assert "registration_too_short" in codes(answer)


def test_a_road_area_takes_that_road_only(school_east, east_catchment, east_rule):
    community = CommunityFactory(station=east_catchment.community.station)
    CatchmentArea.objects.create(school=school_east, year=YEAR, community=community, road="湖滨东路")
    inside = PersonFactory(household=HouseholdFactory(address=AddressFactory(community=community, road="湖滨东路")))
    outside = PersonFactory(household=HouseholdFactory(address=AddressFactory(community=community, road="桃源街")))
    assert "catchment_in" in codes(evaluate(school_east, inside))
    answer = evaluate(school_east, outside)
    assert answer.verdict == "not_eligible"
    assert "位于东城第一小学2027年学区外" in reason(answer, "catchment_out").message


@pytest.mark.parametrize(("number", "inside"), [(9, False), (10, True), (15, True), (20, True), (21, False)])
def test_a_number_range_includes_both_ends(school_east, east_catchment, east_rule, number, inside):
    community = CommunityFactory(station=east_catchment.community.station)
    area = {"school": school_east, "year": YEAR, "community": community, "road": "湖滨东路"}
    CatchmentArea.objects.create(**area, number_from=10, number_to=20)
    address = AddressFactory(community=community, road="湖滨东路", number=number)
    child = PersonFactory(household=HouseholdFactory(address=address))
    assert ("catchment_in" in codes(evaluate(school_east, child))) is inside


def test_odd_numbers_and_one_building(school_east, east_catchment, east_rule):
    community = CommunityFactory(station=east_catchment.community.station)
    area = {"school": school_east, "year": YEAR, "community": community, "road": "湖滨东路"}
    CatchmentArea.objects.create(**area, parity="odd")
    CatchmentArea.objects.create(**area, number_from=8, number_to=8, building="3")

    def child_at(number, building):
        address = AddressFactory(community=community, road="湖滨东路", number=number, building=building)
        return PersonFactory(household=HouseholdFactory(address=address))

    assert "catchment_in" in codes(evaluate(school_east, child_at(7, "1")))
    assert "catchment_in" in codes(evaluate(school_east, child_at(8, "3")))
    assert "catchment_out" in codes(evaluate(school_east, child_at(8, "2")))


def test_a_catchment_of_another_year_does_not_count(school_east, east_catchment, east_rule, family):
    child = family()
    east_catchment.year = YEAR - 1
    east_catchment.save()
    assert "catchment_out" in codes(evaluate(school_east, child))


def test_no_guardian_in_the_household_is_not_eligible(school_east, family):
    elsewhere = HouseholdFactory()
    father = PersonFactory(household=elsewhere, name="外地父")
    child = family(father=father, mother=None)
    answer = evaluate(school_east, child)
    assert answer.verdict == "not_eligible"
    assert reason(answer, "guardian_missing").message == "儿童所在户内没有监护人。"
    assert answer.guardians == []


def test_an_open_custody_guardianship_in_the_household_is_a_guardian(school_east, family):
    child = family(father=None, mother=None)
    aunt = child.household.members.get(name="李母")
    Guardianship.objects.create(
        child=child, guardian=aunt, relationship=Relationship.OTHER_RELATIVE, valid_from=dt.date(2022, 1, 1)
    )
    answer = evaluate(school_east, child)
    assert "guardian_ok" in codes(answer)
    # A guardian who is not a parent: the left-behind-child case, for the liaison.
    assert answer.verdict == "needs_review"
    assert "left_behind_guardianship" in codes(answer)


def test_an_ended_guardianship_does_not_count(school_east, family):
    child = family(father=None, mother=None)
    aunt = child.household.members.get(name="李母")
    Guardianship.objects.create(
        child=child,
        guardian=aunt,
        relationship=Relationship.OTHER_RELATIVE,
        valid_from=dt.date(2022, 1, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    assert evaluate(school_east, child).verdict == "not_eligible"


def test_an_adoptive_parent_needs_review(school_east, family):
    child = family(mother=None)
    adoptive = child.household.members.get(name="李母")
    Guardianship.objects.create(
        child=child, guardian=adoptive, relationship=Relationship.MOTHER, valid_from=dt.date(2022, 1, 1)
    )
    answer = evaluate(school_east, child)
    assert answer.verdict == "needs_review"
    assert reason(answer, "adopted_child").outcome == "review"


def test_a_collective_household_needs_review(school_east, family):
    answer = evaluate(school_east, family(kind="collective"))
    assert answer.verdict == "needs_review"
    assert reason(answer, "collective_household").message == "儿童登记在集体户，需校所联络专员人工审核。"


def test_a_child_without_id_number_needs_review(school_east, family):
    answer = evaluate(school_east, family(id_number=None))
    assert answer.verdict == "needs_review"
    assert "no_id_number" in codes(answer)


def test_a_failed_rule_wins_over_review(school_east, family):
    answer = evaluate(school_east, family(kind="collective", birth_date=dt.date(2022, 1, 1)))
    assert answer.verdict == "not_eligible"
    assert {"age_too_young", "collective_household"} <= codes(answer)


def test_the_rule_version_in_force_on_the_day_is_used(school_east, east_rule, family):
    EligibilityRule.objects.create(
        school=school_east, year=YEAR, effective_from=dt.date(2027, 4, 1), min_registration_months=60
    )
    child = family(registered=dt.date(2024, 1, 1))
    before = evaluate(school_east, child, on=dt.date(2027, 3, 31))
    assert (before.verdict, before.rule_version) == ("eligible", "360102001/2027/2026-09-01")
    after = evaluate(school_east, child, on=dt.date(2027, 4, 1))
    assert (after.verdict, after.rule_version) == ("not_eligible", "360102001/2027/2027-04-01")
    assert "registration_too_short" in codes(after)


def test_no_rule_in_force_needs_review(school_east, family):
    answer = evaluate(school_east, family(), on=dt.date(2026, 8, 1))
    assert (answer.verdict, answer.rule_version) == ("needs_review", None)
    assert codes(answer) == {"no_rule"}


def test_a_cut_off_day_that_does_not_exist_is_refused(school_east):
    from django.core.exceptions import ValidationError

    rule = EligibilityRule(school=school_east, year=YEAR, effective_from=TODAY, age_cutoff_month=2, age_cutoff_day=30)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert error.value.message_dict["age_cutoff_day"] == ["该月没有这一天。"]
    assert not EligibilityRule.objects.exists()
