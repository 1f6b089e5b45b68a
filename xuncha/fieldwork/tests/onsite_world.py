"""Helpers of the on-site tests: a roster for 市水业集团 and the team's persons."""

from datetime import date
from typing import Any

from xuncha.orgs.choices import PostKind
from xuncha.planning.models import TeamMember


def roster(make_person: Any, orgs: dict[str, Any]) -> dict[str, Any]:
    """市水业集团's leadership, a key post, a leader retired a year ago, one retired three years ago, a
    discipline secretary, and a subsidiary's head."""
    from xuncha.core.tests.setup import SETUP
    from xuncha.orgs.services import organization_save

    syjt = orgs["syjt"]
    sub, _ = organization_save(
        actor=SETUP, org_code="CS-SYJT-GS", name="水业集团供水公司", level="soe", party_org_type="committee",
        managed_by=syjt.managed_by, parent=syjt,
    )  # fmt: skip
    return {
        "head": make_person("李建国", syjt, "党委书记、董事长", PostKind.TOP_LEADER, date(2019, 5, 1)),
        "deputy": make_person("王副总", syjt, "党委委员、副总经理", PostKind.LEADERSHIP_MEMBER, date(2020, 3, 1)),
        "discipline": make_person("赵纪检", syjt, "纪委书记", PostKind.LEADERSHIP_MEMBER, date(2021, 1, 1)),
        "finance": make_person("钱财务", syjt, "财务部部长", PostKind.KEY_POST, date(2021, 1, 1)),
        "retired": make_person(
            "孙退休", syjt, "原党委副书记", PostKind.LEADERSHIP_MEMBER, date(2015, 1, 1), date(2023, 10, 1)
        ),
        "long_gone": make_person(
            "周早退", syjt, "原副总经理", PostKind.LEADERSHIP_MEMBER, date(2010, 1, 1), date(2021, 6, 1)
        ),
        "staff": make_person("吴干部", syjt, "办公室干事", PostKind.STAFF, date(2021, 1, 1)),
        "sub_head": make_person("郑经理", sub, "党委书记、经理", PostKind.TOP_LEADER, date(2021, 1, 1)),
    }


def team_persons(assignment: Any) -> list[Any]:
    return [m.person for m in TeamMember.objects.filter(team__assignments=assignment).select_related("person")]
