"""Each recusal rule is caught on crafted data, with its reason in Chinese."""

from datetime import date

from xuncha.core.tests.setup import SETUP
from xuncha.orgs.choices import RelationKind, RelationSource
from xuncha.orgs.services import relationship_add
from xuncha.planning.choices import DeclarationResult, DeclarationSource
from xuncha.planning.recusal import recusal_conflicts
from xuncha.planning.services.assignments import assignment_create
from xuncha.planning.services.teams import declaration_create, declaration_decide, team_create, team_member_add
from xuncha.planning.tests.conftest import pool_add


def _rules(assignment, person):
    return {c.rule: c for c in recusal_conflicts([assignment], [person.pk])}


def test_recent_post_in_the_target_is_a_conflict_with_the_years_and_the_post(syjt_assignment, make_person, orgs):
    zhang = make_person("张三", orgs["syjt"], "综合部主任", start=date(2021, 3, 1), end=date(2023, 6, 30))
    conflict = _rules(syjt_assignment, zhang)["worked_in_target"]
    assert conflict.reason == "张三 2021—2023 年在长沙市水业集团有限公司任综合部主任"
    assert conflict.binds("member")


def test_an_old_post_counts_only_when_long_and_only_for_leaders(syjt_assignment, make_person, orgs):
    old_long = make_person("王五", orgs["syjt"], "副总经理", start=date(2010, 1, 1), end=date(2016, 12, 31))
    old_short = make_person("赵六", orgs["syjt"], "科员", start=date(2015, 1, 1), end=date(2016, 1, 1))
    long_rules = _rules(syjt_assignment, old_long)
    assert "worked_in_target" not in long_rules
    conflict = long_rules["long_service"]
    assert "任职满 3 年" in conflict.reason
    assert conflict.binds("leader") and conflict.binds("deputy") and not conflict.binds("member")
    assert _rules(syjt_assignment, old_short) == {}


def test_spouse_of_anyone_on_the_staff_and_collateral_relative_of_a_leader(
    syjt_assignment, make_person, orgs, syjt_head
):
    clerk = make_person("钱七", orgs["syjt"], "出纳")
    wife = make_person("孙丽", orgs["yljd"])
    cousin = make_person("周八", orgs["yljd"])
    cousin_of_clerk = make_person("吴九", orgs["yljd"])
    relationship_add(
        actor=SETUP, person_a=wife, person_b=clerk, kind=RelationKind.SPOUSE, source=RelationSource.VERIFIED
    )
    relationship_add(
        actor=SETUP,
        person_a=syjt_head,
        person_b=cousin,
        kind=RelationKind.COLLATERAL,
        source=RelationSource.SELF_DECLARED,
    )
    relationship_add(
        actor=SETUP,
        person_a=cousin_of_clerk,
        person_b=clerk,
        kind=RelationKind.COLLATERAL,
        source=RelationSource.SELF_DECLARED,
    )
    assert _rules(syjt_assignment, wife)["relative"].reason == "孙丽与钱七（长沙市水业集团有限公司出纳）系夫妻关系"
    assert _rules(syjt_assignment, cousin)["relative"].reason == (
        "周八与李建国（长沙市水业集团有限公司党委书记、董事长）系三代以内旁系血亲关系"
    )
    assert _rules(syjt_assignment, cousin_of_clerk) == {}  # a collateral relative of ordinary staff is not a bar


def test_a_former_superior_of_a_leadership_member_within_the_look_back(syjt_assignment, make_person, orgs, syjt_head):
    recent = make_person("郑十", orgs["yljd"])
    long_ago = make_person("冯十一", orgs["yljd"])
    relationship_add(
        actor=SETUP, person_a=recent, person_b=syjt_head, kind=RelationKind.FORMER_SUPERIOR,
        source=RelationSource.VERIFIED, valid_from=date(2018, 1, 1), valid_to=date(2022, 12, 31),
    )  # fmt: skip
    relationship_add(
        actor=SETUP, person_a=long_ago, person_b=syjt_head, kind=RelationKind.FORMER_SUPERIOR,
        source=RelationSource.VERIFIED, valid_from=date(2008, 1, 1), valid_to=date(2012, 12, 31),
    )  # fmt: skip
    assert "近 3 年内曾为上下级关系" in _rules(syjt_assignment, recent)["former_superior"].reason
    assert _rules(syjt_assignment, long_ago) == {}


def test_classmates_of_a_leader_bind_only_leaders_and_deputies(syjt_assignment, make_person, orgs, syjt_head):
    classmate = make_person("陈十二", orgs["yljd"])
    relationship_add(
        actor=SETUP,
        person_a=classmate,
        person_b=syjt_head,
        kind=RelationKind.CLASSMATE,
        source=RelationSource.SELF_DECLARED,
    )
    conflict = _rules(syjt_assignment, classmate)["close_tie"]
    assert conflict.reason == "陈十二与李建国（长沙市水业集团有限公司党委书记、董事长）同学或师承关系"
    assert not conflict.binds("member") and conflict.binds("deputy")


def test_cross_inspection_bars_people_serving_in_the_targets_district(city_round, make_person, orgs):
    local = make_person("褚十三", orgs["tiaoma"], "党委副书记")
    elsewhere = make_person("卫十四", orgs["yljd"], "副主任")
    village = assignment_create(
        actor=SETUP, round_=city_round, organization=orgs["village"], inspection_type="regular",
        flags=["elevated", "cross"], planned_entry=date(2024, 10, 8),
    )  # fmt: skip
    conflict = _rules(village, local)["cross_same_area"]
    assert conflict.reason == "交叉巡察：褚十三现任雨花区跳马镇党委副书记，与被巡察对象同属长沙市雨花区"
    assert _rules(village, elsewhere) == {}
    # Without the cross flag, serving in the same district is no bar.
    plain = assignment_create(
        actor=SETUP,
        round_=city_round,
        organization=orgs["yh"],
        inspection_type="regular",
        planned_entry=date(2024, 10, 8),
    )
    assert "cross_same_area" not in _rules(plain, local)


def test_a_leader_is_not_sent_back_to_the_unit_he_led_last_time(committees, make_person, orgs, syjt_assignment):
    from xuncha.planning.services.plans import round_create

    leader = make_person("蒋十五", orgs["cs"])
    pool_add(committees["city"], leader, "leader", ("discipline",))
    earlier = round_create(
        actor=SETUP,
        committee=committees["city"],
        year=2021,
        seq_no=1,
        start_date=date(2021, 3, 1),
        end_date=date(2021, 6, 1),
    )
    team = team_create(actor=SETUP, round_=earlier)
    team_member_add(actor=SETUP, team=team, person=leader, role="leader")
    assignment_create(
        actor=SETUP,
        round_=earlier,
        organization=orgs["syjt"],
        inspection_type="regular",
        planned_entry=date(2021, 3, 1),
        team=team,
    )
    conflict = _rules(syjt_assignment, leader)["previous_leader"]
    assert conflict.reason == "蒋十五任上一次巡察长沙市水业集团有限公司的巡察组组长（三个不固定）"
    assert conflict.binds("leader") and not conflict.binds("deputy")


def test_declarations_bar_until_found_unfounded_and_waivers_lift_a_detected_conflict(
    syjt_assignment, make_person, orgs, make_user, committees
):
    from xuncha.core.roles import Role

    approver = make_user("secretary", Role.LEADING_GROUP, committees["city"])
    member = make_person("沈十六", orgs["yljd"])
    declared = declaration_create(
        actor=SETUP,
        assignment=syjt_assignment,
        person=member,
        source=DeclarationSource.SELF,
        reason="本人表弟在该集团工作",
    )
    assert _rules(syjt_assignment, member)["declared"].reason == "本人表弟在该集团工作"
    declaration_decide(
        actor=approver, declaration=declared, result=DeclarationResult.NO_CONFLICT, note="经核实，系远亲。"
    )
    assert _rules(syjt_assignment, member) == {}

    former = make_person("韩十七", orgs["syjt"], "科员", start=date(2022, 1, 1), end=date(2023, 1, 1))
    assert "worked_in_target" in _rules(syjt_assignment, former)
    waiver = declaration_create(
        actor=SETUP, assignment=syjt_assignment, person=former, source=DeclarationSource.DETECTED,
        rule="worked_in_target", reason="韩十七 2022—2023 年在长沙市水业集团有限公司任科员",
    )  # fmt: skip
    declaration_decide(
        actor=approver, declaration=waiver, result=DeclarationResult.WAIVED, note="借调期间未涉及业务，同意不予回避。"
    )
    assert _rules(syjt_assignment, former) == {}
    waiver.refresh_from_db()
    assert waiver.decided_by == approver and waiver.decided_at is not None


def test_current_top_leader_is_a_conflict_for_his_own_unit(syjt_assignment, syjt_head):
    assert _rules(syjt_assignment, syjt_head)["worked_in_target"].reason.startswith("李建国 2019 年至今在")
