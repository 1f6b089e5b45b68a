"""Writing and reviewing problems, and the immediate fixes: every service authorises first, then writes, audits."""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.transitions import transition_perform
from xuncha.findings.models import (
    FixStatus,
    ImmediateFix,
    Problem,
    ProblemResponsibility,
    ProblemStatus,
    ProblemTrack,
    ResponsibilityKind,
    Severity,
)
from xuncha.findings.problems.machines import FIX_MACHINE, PROBLEM_MACHINE
from xuncha.findings.problems.permissions import capacities, write_check
from xuncha.orgs.models import Person
from xuncha.planning.choices import AssignmentState
from xuncha.planning.models import Assignment

EDITABLE = {ProblemStatus.DRAFT, ProblemStatus.RETURNED}
# A problem is found while the team is there, and written up until the report is drafted.
WRITING_STATES = {AssignmentState.ENTERED, AssignmentState.ON_SITE, AssignmentState.ON_SITE_CLOSED}
LABELS = {"title": "问题标题", "phenomenon": "问题表现", "qualification": "定性依据", "responsibility_text": "责任指向",
          "evidence": "佐证材料清单"}  # fmt: skip
TEXT_LIMITS = {"title": 200, "phenomenon": 5000, "qualification": 3000, "responsibility_text": 3000, "evidence": 3000}


def problem_number(assignment: Assignment) -> str:
    """[2024]长巡2-3组-07号: the year, the committee's mark with the round, the team, and the team's sequence in
    the round (one team may inspect several units; domain.md §4.5)."""
    c, r = assignment.round.committee, assignment.round
    team = assignment.team.seq if assignment.team else 0
    done = Problem.objects.filter(assignment__round=r, assignment__team=assignment.team).count()
    return f"[{r.year}]{c.short_name[:1]}巡{r.seq_no}-{team}组-{done + 1:02d}号"


def _clean(fields: dict[str, Any], framework: str) -> dict[str, Any]:
    out = dict(fields)
    for key, limit in TEXT_LIMITS.items():
        if key in out:
            out[key] = str(out[key] or "").strip()
            if len(out[key]) > limit:
                raise ValidationError(f"“{LABELS[key]}”不超过 {limit} 字。")
    if "title" in out and not out["title"]:
        raise ValidationError("请填写问题标题。")
    if "category" in out and out["category"] not in set(code_items(framework).values_list("code", flat=True)):
        raise ValidationError("请选择本轮监督重点框架中的问题类别。")
    if out.get("discipline") and out["discipline"] not in set(
        code_items("six_disciplines").values_list("code", flat=True)
    ):
        raise ValidationError("纪律分类不正确。")
    if "severity" in out and out["severity"] not in Severity.values:
        raise ValidationError("请选择严重程度。")
    if "track" in out and out["track"] not in ProblemTrack.values:
        raise ValidationError("请选择办理方式。")
    return out


@transaction.atomic
def problem_create(*, actor: Actor, assignment: Assignment, title: str, category: str, **fields: Any) -> Problem:
    """Open a working paper on an assignment (the team, while on site or writing up)."""
    write_check(actor, assignment)
    if assignment.state not in WRITING_STATES:
        raise ValidationError(f"巡察任务{assignment.get_state_display()}，不能新增问题底稿。")
    clean = _clean({"title": title, "category": category, **fields}, assignment.round.framework)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__committee", "team")
        .get(pk=assignment.pk)
    )
    seq = (Problem.objects.filter(assignment=assignment).aggregate(m=Max("seq"))["m"] or 0) + 1
    problem = Problem.objects.create(
        assignment=assignment,
        seq=seq,
        number=problem_number(assignment),
        discovered_on=clean.pop("discovered_on", None) or timezone.localdate(),
        author=account_of(actor),
        created_by=account_of(actor),
        **clean,
    )
    audit_record(
        action="findings.problem_created",
        actor=actor,
        target=problem,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：新增问题底稿 {problem.number}",
    )
    return problem


@transaction.atomic
def problem_update(*, actor: Actor, problem: Problem, **fields: Any) -> Problem:
    """Edit a working paper while it is a draft or was returned."""
    write_check(actor, problem.assignment)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.status not in EDITABLE:
        raise ValidationError(f"问题底稿{problem.get_status_display()}，不能修改；如需修改请先退回。")
    for key, value in _clean(fields, problem.assignment.round.framework).items():
        setattr(problem, key, value)
    problem.save()
    audit_record(action="findings.problem_updated", actor=actor, target=problem,
                 committee_id=problem.assignment.round.committee_id, summary=f"修改问题底稿 {problem.number}")  # fmt: skip
    return problem


@transaction.atomic
def responsibility_add(*, actor: Actor, problem: Problem, person: Person, kind: str) -> ProblemResponsibility:
    """Name a person of the roster with the kind of responsibility (a preliminary analysis)."""
    write_check(actor, problem.assignment)
    if kind not in ResponsibilityKind.values:
        raise ValidationError("请选择责任类型。")
    if problem.status not in EDITABLE:
        raise ValidationError("问题底稿已送审，不能修改责任主体。")
    found = ProblemResponsibility.objects.create(
        problem=problem, person=person, kind=kind, created_by=account_of(actor)
    )
    audit_record(action="findings.problem_updated", actor=actor, target=problem,
                 committee_id=problem.assignment.round.committee_id, summary=f"问题底稿 {problem.number}：责任主体")  # fmt: skip
    return found


@transaction.atomic
def problem_transition(
    *, actor: Actor, problem: Problem, code: str, reason: str = "", on: date | None = None
) -> Problem:
    """组务会审核, 组长签字, 巡察办审核, or a return for revision — on the engine, refused in Chinese."""
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("assignment__round__committee")
        .get(pk=problem.pk)
    )
    caps = capacities(actor, problem.assignment)
    if not caps:
        raise PermissionDenied("您无权办理该问题底稿。")
    transition_perform(PROBLEM_MACHINE, problem, code, actor=actor, capacities=caps, reason=reason, on=on,
                       committee_id=problem.assignment.round.committee_id)  # fmt: skip
    return problem


def _next_notice_no(problem: Problem) -> str:
    a = problem.assignment
    count = ImmediateFix.objects.filter(problem__assignment=a).count() + 1
    return f"{a.round.committee.short_name[:1]}巡立改〔{a.round.year}〕{a.pk}-{count}号"


@transaction.atomic
def immediate_fix_issue(
    *, actor: Actor, problem: Problem, requirement: str, due_on: date, on: date | None = None
) -> ImmediateFix:
    """The team leader issues the 立行立改通知书 for a problem marked for immediate fixing, due within the stay."""
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("assignment__round__committee")
        .get(pk=problem.pk)
    )
    a = problem.assignment
    if "team_leader" not in capacities(actor, a):
        raise PermissionDenied("立行立改通知书由巡察组组长下发。")
    if problem.track != ProblemTrack.IMMEDIATE:
        raise ValidationError("该问题未标为立行立改。")
    if hasattr(problem, "immediate_fix"):
        raise ValidationError("该问题已下发立行立改通知书。")
    if a.state not in {AssignmentState.ENTERED, AssignmentState.ON_SITE}:
        raise ValidationError("立行立改通知书在进驻期间下发。")
    today = timezone.localdate()
    issued = on or today
    if issued > today:
        raise ValidationError("下发日期不能晚于今天。")
    if not requirement.strip():
        raise ValidationError("请写明整改要求。")
    if due_on < issued or (a.onsite_end and due_on > a.onsite_end):
        raise ValidationError(f"完成时限应在下发之日至进驻结束（{a.onsite_end:%Y年%m月%d日}）之间。")
    fix = ImmediateFix.objects.create(problem=problem, notice_no=_next_notice_no(problem), issued_on=issued,
                                      due_on=due_on, requirement=requirement.strip(), created_by=account_of(actor))  # fmt: skip
    audit_record(action="findings.fix_issued", actor=actor, target=fix, committee_id=a.round.committee_id,
                 summary=f"{a.organization.name}：下发立行立改通知书 {fix.notice_no}")  # fmt: skip
    return fix


@transaction.atomic
def immediate_fix_transition(
    *, actor: Actor, fix: ImmediateFix, code: str, text: str = "", on: date | None = None
) -> ImmediateFix:
    """签收 by the unit's top leader, 报告 by the unit, 核实 (or return) by the team leader."""
    fix = (
        ImmediateFix.objects.select_for_update(of=("self",))
        .select_related("problem__assignment__round__committee")
        .get(pk=fix.pk)
    )
    a = fix.problem.assignment
    caps = capacities(actor, a)
    if not caps:
        raise PermissionDenied("您无权办理该立行立改通知书。")
    now = timezone.make_aware(datetime.combine(on, time(10))) if on else timezone.now()
    fields: list[str] = []
    text = text.strip()
    if code == "sign":
        fix.signed_by, fix.signed_at, fields = account_of(actor), now, ["signed_by", "signed_at"]
    elif code == "report":
        if not text:
            raise ValidationError("请填写整改情况。")
        fix.report, fix.reported_at, fields = text[:5000], now, ["report", "reported_at"]
    elif code in {"verify", "reject"}:
        fix.verification, fix.verified_at = text[:2000], now if code == "verify" else None
        fields = ["verification", "verified_at"]
    transition_perform(FIX_MACHINE, fix, code, actor=actor, capacities=caps, reason=text if code == "reject" else "",
                       on=on, update_fields=fields, committee_id=a.round.committee_id)  # fmt: skip
    return fix


def fix_counts(problems: Any) -> dict[str, int]:
    """Problems and immediate fixes counted apart (the seed round: 665 problems, 175 fixed on the spot)."""
    return {
        "problems": problems.count(),
        "immediate": problems.filter(track=ProblemTrack.IMMEDIATE).count(),
        "verified": problems.filter(immediate_fix__status=FixStatus.VERIFIED).count(),
    }
