"""The demo reproduces the seeds: the 14 + 16 + 20 round and the provincial inspection of 雨花区."""

from datetime import date

import pytest
from django.core.management import call_command

from xuncha.planning.models import Assignment, FormationRun, Round
from xuncha.planning.selectors import round_mix
from xuncha.planning.tests.formation_checker import check_round


@pytest.mark.django_db(transaction=False)
def test_the_demo_loads_the_seed_rounds(capsys):
    call_command("load_demo")
    call_command("load_demo_planning")
    seed = Round.objects.get(committee__name="中共长沙市委", year=2022, seq_no=2)
    assert dict(round_mix(seed)) == {"常规巡察": 14, "提级交叉巡察": 16, "巡察整改督查": 20}
    assert seed.assignments.filter(organization__org_code="CS-SYJT").exists()
    assert seed.filed_at is not None and seed.teams.count() == 22
    run = FormationRun.objects.get(round=seed)
    assert run.optimal
    assert check_round(seed) == []

    provincial = Assignment.objects.get(round__committee__name="中共湖南省委", organization__org_code="YH")
    assert (provincial.planned_entry, provincial.onsite_end) == (date(2023, 9, 7), date(2023, 11, 7))
    assert provincial.team.name == "省委第六巡视组"
    roles = dict(provincial.team.members.values_list("person__name", "role"))
    assert roles["万中学"] == "leader" and roles["马昌松"] == "deputy"
    linked = provincial.linked_assignments.get()
    assert linked.organization.org_code == "YH-JW"
    assert set(linked.extra_orgs.values_list("org_code", flat=True)) == {"YH-ZZB", "YH-XCB"}
    assert {"elevated", "linked"} <= set(linked.flags)
    assert "巡察计划演示数据就绪" in capsys.readouterr().out

    call_command("load_demo_planning")  # idempotent
    assert Round.objects.filter(committee__name="中共长沙市委", year=2022, seq_no=2).count() == 1
    assert "未重复加载" in capsys.readouterr().out
