"""The review of a working paper and the course of an immediate fix, on the core transition engine."""

from xuncha.core.transitions import Machine, Transition
from xuncha.findings.models import FixStatus, ProblemStatus
from xuncha.findings.problems.permissions import UNIT, UNIT_LEADER
from xuncha.planning.choices import Approver

P, F = ProblemStatus, FixStatus
LEADER, OFFICE = str(Approver.TEAM_LEADER), str(Approver.OFFICE)

PROBLEM_MACHINE = Machine(
    name="findings.problem",
    field_name="status",
    states=ProblemStatus,
    transitions=[
        Transition("group_review", "组务会审核", (P.DRAFT, P.RETURNED), P.GROUP_REVIEWED, (LEADER,)),
        Transition("sign", "组长签字", (P.GROUP_REVIEWED,), P.SIGNED, (LEADER,)),
        Transition("approve", "巡察办审核通过", (P.SIGNED,), P.APPROVED, (OFFICE,)),
        Transition("return", "退回修改", (P.GROUP_REVIEWED, P.SIGNED), P.RETURNED, (LEADER, OFFICE), needs_reason=True),
    ],
    capacity_labels={LEADER: "巡察组组长", OFFICE: "巡察办", "team": "巡察组成员"},
    describe=lambda p: f"问题底稿 {p.number}",
    audit_prefix="findings.problem_",
)

FIX_MACHINE = Machine(
    name="findings.immediate_fix",
    field_name="status",
    states=FixStatus,
    transitions=[
        Transition("sign", "主要负责人签收", (F.ISSUED,), F.SIGNED, (UNIT_LEADER,)),
        Transition("report", "报告整改情况", (F.SIGNED,), F.REPORTED, (UNIT,)),
        Transition("verify", "巡察组核实", (F.REPORTED,), F.VERIFIED, (LEADER,)),
        Transition("reject", "核实未通过，继续整改", (F.REPORTED,), F.SIGNED, (LEADER,), needs_reason=True),
    ],
    capacity_labels={UNIT_LEADER: "被巡察党组织主要负责人", UNIT: "被巡察党组织", LEADER: "巡察组组长"},
    describe=lambda f: f"立行立改通知书 {f.notice_no}",
    audit_prefix="findings.fix_",
)
