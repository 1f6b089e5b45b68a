"""Triage: scope against the rosters, category suggestions that learn, near-duplicates, decisions, clocks."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from xuncha.core.models import AuditEvent
from xuncha.core.sealing import open_sealed
from xuncha.orgs.choices import PostKind
from xuncha.petitions.decisions.clocks import overdue_flags
from xuncha.petitions.decisions.services import petition_dispose, referral_update
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.models import CategoryFeature
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory
from xuncha.petitions.triage.categories import category_scores, near_duplicates, suggest_category
from xuncha.petitions.triage.scope import scope_matches


@pytest.fixture
def roster(make_person, orgs):
    return {
        "chair": make_person("王建军", orgs["syjt"], "党委书记、董事长", PostKind.TOP_LEADER, date(2019, 1, 1)),
        "cfo": make_person("刘芳", orgs["syjt"], "财务部部长", PostKind.KEY_POST, date(2020, 1, 1)),
        "clerk": make_person("陈小明", orgs["syjt"], "出纳", PostKind.STAFF, date(2021, 1, 1)),
    }


def _register(world, what, **content):
    return PetitionFactory(actor=world["leader"], assignment=world["assignment"], what=what, extra=content)


def test_scope_is_matched_tolerantly_against_leadership_and_key_posts(team_world, roster):
    a = team_world["assignment"]
    [m] = scope_matches(a, {"subject_name": "王某某", "subject_position": "董事长"}, on=date(2024, 10, 15))
    assert (m.name, m.kind.split("；")[0]) == ("王建军", "主要负责人（一把手）")  # then how it matched
    assert m.kind == f"主要负责人（一把手）；{m.basis}" and "董事长" in m.basis
    [m] = scope_matches(a, {"subject_name": "刘芳", "subject_position": ""}, on=date(2024, 10, 15))
    assert m.title == "财务部部长" and m.score == 1.0
    [m] = scope_matches(a, {"subject_name": "", "subject_position": "财务部长"}, on=date(2024, 10, 15))
    assert m.name == "刘芳"
    assert scope_matches(a, {"subject_name": "陈小明", "subject_position": "出纳"}, on=date(2024, 10, 15)) == []


def test_category_suggestions_start_from_keywords_and_learn_from_decisions(team_world):
    assert suggest_category({"what": "某科长多次收受工程老板红包和购物卡"}) == "integrity"
    assert suggest_category({"what": "村干部在低保评定中优亲厚友"}) == "mass"
    unusual = {"what": "该同志长期在单位打麻将到深夜还动用单位车辆"}
    similar = {"what": "该同志长期打麻将到深夜"}
    assert suggest_category(similar) != "personal_conduct"
    petition = _register(team_world, unusual["what"])
    petition_dispose(actor=team_world["leader"], petition=petition, disposition="use_clue", category="personal_conduct")
    assert suggest_category(similar) == "personal_conduct"
    assert category_scores(similar)[0][0] == "personal_conduct"
    # What is learned is stored as keyed hashes, never as words.
    assert not CategoryFeature.objects.filter(feature__contains="麻将").exists()
    assert CategoryFeature.objects.filter(category="personal_conduct", feature="__docs__", count=1).exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_paraphrase_is_proposed_as_a_duplicate_of_the_earlier_petition(team_world):
    first = _register(team_world, "反映市水业集团财务部王某某利用职务之便，多次报销虚假发票，金额约十万元。")
    other = _register(team_world, "跳马镇某村干部在征地拆迁补偿中优亲厚友，群众意见很大。")
    with time_machine.travel("2024-10-16 10:00:00+08:00", tick=False):
        second = _register(team_world, "市水业集团财务部的王某某，利用职务便利多次报销虚假发票，涉及金额大约十万元。")
    from xuncha.core.sealing import open_sealed

    dupes = near_duplicates(second, open_sealed(second.sealed_content, "content"))
    assert [d.petition for d in dupes] == [first] and dupes[0].similarity >= 0.45
    assert other not in [d.petition for d in dupes]
    petition_dispose(actor=team_world["leader"], petition=second, disposition="merge_duplicate", merged_into=first)
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    with pytest.raises(ValidationError, match="只能合并到更早收到的信访件"):
        petition_dispose(actor=team_world["leader"], petition=other, disposition="merge_duplicate", merged_into=second)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_large_assignment_finds_duplicates_through_the_lsh_bands(team_world, monkeypatch):
    from xuncha.core.sealing import open_sealed
    from xuncha.petitions.triage import dedup

    monkeypatch.setattr(dedup, "FULL_SCAN", 0)  # as if the assignment held more petitions than a full scan takes
    first = _register(
        team_world, "反映市水业集团财务部王某某利用职务之便，多次报销虚假发票，金额约十万元，请组织查处。"
    )
    other = _register(team_world, "跳马镇某村干部在征地拆迁补偿中优亲厚友，群众意见很大。")
    # The same words sent to another team's assignment: another compartment, never proposed here.
    elsewhere = petition_register(
        actor=team_world["other_team"], assignment=team_world["other"], channel="letter",
        content={"what": "反映市水业集团财务部王某某利用职务之便，多次报销虚假发票，金额约十万元，请组织查处。"},
    )  # fmt: skip
    with time_machine.travel("2024-10-16 10:00:00+08:00", tick=False):
        second = _register(
            team_world, "反映市水业集团财务部王某某利用职务之便，多次报销虚假发票，金额约十万元，请尽快查处。"
        )
    dupes = near_duplicates(second, open_sealed(second.sealed_content, "content"))
    assert [d.petition for d in dupes] == [first] and elsewhere not in [d.petition for d in dupes]
    # A later petition is never proposed as the earlier one to merge with.
    assert near_duplicates(first, open_sealed(first.sealed_content, "content")) == []
    assert other not in [d.petition for d in dupes]


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_referral_needs_its_particulars_tracks_the_result_and_goes_overdue(team_world, login):
    petition = _register(team_world, "反映小区物业收费不合理，要求退费。")
    with pytest.raises(ValidationError, match="转办须填写承办单位、转办文号和转办日期"):
        petition_dispose(actor=team_world["leader"], petition=petition, disposition="refer_out")
    petition_dispose(
        actor=team_world["leader"], petition=petition, disposition="refer_out", petition_class="out_of_scope",
        receiver="市住房和城乡建设局", letter_no="长巡转〔2024〕3号", sent_on=date(2024, 10, 16),
    )  # fmt: skip
    referral = petition.referral
    assert referral.due_on == date(2025, 1, 16)
    assert "referral" not in overdue_flags(petition, date(2025, 1, 16))
    assert "referral" in overdue_flags(petition, date(2025, 1, 17))
    referral_update(
        actor=team_world["leader"],
        referral=referral,
        acknowledged_on=date(2024, 10, 18),
        result="已督促物业退费",
        result_on=date(2024, 12, 1),
    )
    petition.refresh_from_db()
    assert petition.status == "closed" and "referral" not in overdue_flags(petition, date(2025, 6, 1))
    assert AuditEvent.objects.filter(action="petitions.disposed", actor=team_world["leader"]).exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_use_in_the_inspection_needs_a_category_and_only_the_team_decides(team_world, personas):
    petition = _register(team_world, "反映某部长违规插手工程招标。")
    with pytest.raises(ValidationError, match="须确定纪律分类"):
        petition_dispose(actor=team_world["leader"], petition=petition, disposition="use_problem")
    with pytest.raises(PermissionDenied):
        petition_dispose(actor=personas["city_office"], petition=petition, disposition="archive")
    petition_dispose(actor=team_world["member"], petition=petition, disposition="use_clue", category="integrity")
    with pytest.raises(ValidationError, match="不能重复处置"):
        petition_dispose(actor=team_world["leader"], petition=petition, disposition="archive")


@time_machine.travel("2024-09-27 10:00:00+08:00", tick=False)
def test_clocks_run_on_working_days_across_national_day(team_world):
    named = petition_register(
        actor=team_world["leader"], assignment=team_world["assignment"], channel="visit",
        content={"what": "来访反映问题"}, identity={"name": "周某", "phone": "13600000000"},
    )  # fmt: skip
    # 5 working days after Friday 2024-09-27: 9-29 (调休 Sunday), 9-30, 10-08, 10-09, 10-10.
    assert named.sign_due == date(2024, 10, 10)
    assert named.handle_due == date(2024, 12, 27)
    assert named.ack_due == date(2024, 10, 23)  # 15 working days, counting the 调休 Saturday 10-12
    assert _register(team_world, "匿名来信").ack_due is None


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_bare_status_change_cannot_stand_in_for_a_disposition(team_world):
    from xuncha.petitions.decisions.services import status_set

    petition = _register(team_world, "反映某站长违规。")
    for target in ("referred", "merged", "became_problem", "became_clue", "immediate_fix", "archived", "closed"):
        with pytest.raises(ValidationError, match="不能改为"):
            status_set(actor=team_world["leader"], petition=petition, status=target)
    status_set(actor=team_world["leader"], petition=petition, status="under_review")
    petition.refresh_from_db()
    assert petition.status == "under_review"


def test_learning_counts_every_decision_with_arithmetic_in_the_database(db):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuncha.petitions.triage.categories import learn_category

    content = {"what": "该同志多次收受工程老板红包"}
    with CaptureQueriesContext(connection) as queries:
        learn_category(content, "integrity")
    learn_category(content, "integrity")
    counts = dict(CategoryFeature.objects.filter(category="integrity").values_list("feature", "count"))
    assert counts["__docs__"] == 2 and set(counts.values()) == {2}
    # Two statements whatever the text: insert what is missing, then count + 1 in the database.
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert re.search(r'SET "count" = \("petitions_categoryfeature"\."count" \+ 1\)', update), update
    assert len(queries) == 2

    # Another decision's learning lands between this one's insert and its update: neither is lost.
    interleaved: list[bool] = []

    def another_decision_meanwhile(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "categoryfeature" in sql and not interleaved:
            interleaved.append(True)
            learn_category(content, "integrity")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(another_decision_meanwhile):
        learn_category(content, "integrity")
    assert interleaved
    assert set(CategoryFeature.objects.filter(category="integrity").values_list("count", flat=True)) == {4}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_disposition_audit_records_class_referral_and_the_suggestion_but_no_text(team_world):
    import json

    leader = team_world["leader"]

    def audit_of(petition):
        return AuditEvent.objects.get(action="petitions.disposed", object_id=str(petition.pk)).data

    what = "反映财务部长期收受供应商红包和购物卡"
    named = petition_register(
        actor=leader, assignment=team_world["assignment"], channel="visit",
        content={"what": what, "subject_name": "刘某某", "subject_position": "财务部部长"},
        identity={"name": "周小红", "phone": "13600001111"},
    )  # fmt: skip
    petition_dispose(
        actor=leader, petition=named, disposition="use_clue", category="integrity", petition_class="accusation"
    )
    data = audit_of(named)
    assert data["petition_class"] == "accusation" and data["category"] == "integrity"
    assert data["suggested_category"] == "integrity" and data["followed_suggestion"] is True
    assert not {"receiver", "letter_no", "sent_on"} & set(data)
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("红包", "刘某某", "财务部部长", "周小红", "13600001111"):
        assert secret not in text

    # Staff overrule the suggestion: recorded as not followed.
    other = _register(team_world, "反映某科长收受红包后对群众诉求推诿扯皮")
    petition_dispose(actor=leader, petition=other, disposition="use_problem", category="work")
    data = audit_of(other)
    assert (data["suggested_category"], data["followed_suggestion"]) == ("integrity", False)

    # A referral: its administrative particulars; no category chosen, so nothing to follow.
    referred = _register(team_world, "反映小区物业收费不合理，要求退费。")
    petition_dispose(
        actor=leader, petition=referred, disposition="refer_out", petition_class="out_of_scope",
        receiver=" 市住房和城乡建设局 ", letter_no="长巡转〔2024〕3号", sent_on=date(2024, 10, 16),
    )  # fmt: skip
    data = audit_of(referred)
    assert data["petition_class"] == "out_of_scope" and data["category"] == ""
    assert (data["receiver"], data["letter_no"], data["sent_on"]) == (
        "市住房和城乡建设局",
        "长巡转〔2024〕3号",
        "2024-10-16",
    )
    # No keyword points anywhere; what the classifier learned from the two decisions is what was shown.
    shown = suggest_category(open_sealed(referred.sealed_content, "content"))
    assert "followed_suggestion" not in data and data["suggested_category"] == shown != ""
    assert "物业" not in json.dumps(data, ensure_ascii=False)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_merge_target_is_picked_from_earlier_petitions_of_the_assignment(team_world, login):
    with time_machine.travel("2024-10-14 10:00:00+08:00", tick=False):
        first = _register(team_world, "反映市水业集团财务部王某某利用职务之便多次报销虚假发票。")
        other = PetitionFactory(
            actor=team_world["other_team"], assignment=team_world["other"], what="反映雨花区某局长违规。"
        )
    second = _register(team_world, "市水业集团财务部的王某某多次虚假报销。")
    page = login(team_world["leader"]).get(f"/petitions/{second.pk}/").content.decode()
    [select] = re.findall(r'(?s)<select name="merged_into"[^>]*>(.*?)</select>', page)
    assert first.number in select and other.number not in select and second.number not in select
    client = login(team_world["leader"])
    refused = client.post(
        f"/petitions/{second.pk}/dispose/", {"disposition": "merge_duplicate", "merged_into": other.pk}
    )
    second.refresh_from_db()
    assert second.status == "received" and refused.status_code in {200, 302}
    client.post(f"/petitions/{second.pk}/dispose/", {"disposition": "merge_duplicate", "merged_into": first.pk})
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into_id == first.pk
