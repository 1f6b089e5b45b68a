"""Coverage plans, annual plans, rounds and the approval flow they share."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_items
from xuncha.core.models import Committee
from xuncha.core.transitions import transition_perform
from xuncha.orgs.models import Organization
from xuncha.planning.choices import ApprovalStatus, CandidateReason
from xuncha.planning.machines import APPROVAL_MACHINE
from xuncha.planning.models import AnnualPlan, ApprovalStep, CoveragePlan, PlanCandidate, Round
from xuncha.planning.permissions import acts_as, manage_check

FRAMEWORKS = {"three_focuses": "三个聚焦", "four_implementations": "四个落实", "four_focuses": "四个聚焦"}


def inspection_type_codes() -> set[str]:
    return set(code_items("inspection_types").values_list("code", flat=True))


@transaction.atomic
def coverage_plan_create(
    *, actor: Actor, committee: Committee, term: str, start_date: date, end_date: date, note: str = ""
) -> CoveragePlan:
    """Open the term's coverage plan (全覆盖) for a committee."""
    manage_check(actor, committee.pk, "只有本级巡察办可以制定巡察工作规划。")
    if end_date <= start_date:
        raise ValidationError("任期结束日期必须晚于开始日期。")
    if CoveragePlan.objects.filter(committee=committee, term=term.strip()).exists():
        raise ValidationError(f"{committee.short_name}已有“{term}”的巡察工作规划。")
    plan = CoveragePlan.objects.create(
        committee=committee,
        term=term.strip(),
        start_date=start_date,
        end_date=end_date,
        note=note,
        created_by=account_of(actor),
    )
    audit_record(
        action="planning.coverage_create", actor=actor, target=plan, committee_id=committee.id, summary=str(plan)
    )
    return plan


@transaction.atomic
def annual_plan_create(
    *, actor: Actor, committee: Committee, year: int, title: str = "", summary: str = "", planned_rounds: int = 2
) -> AnnualPlan:
    """Draft the year's plan (巡察办 drafts; 领导小组 and 常委会 approve)."""
    manage_check(actor, committee.pk, "只有本级巡察办可以起草年度计划。")
    if AnnualPlan.objects.filter(committee=committee, year=year).exists():
        raise ValidationError(f"{committee.short_name}已有 {year} 年度巡察工作计划。")
    plan = AnnualPlan.objects.create(
        committee=committee,
        year=year,
        title=title.strip() or f"{committee.short_name}{year}年度巡察工作计划",
        summary=summary,
        planned_rounds=planned_rounds,
        created_by=account_of(actor),
    )
    audit_record(
        action="planning.annual_create", actor=actor, target=plan, committee_id=committee.id, summary=plan.title
    )
    return plan


def _editable(status: str) -> None:
    if status not in {ApprovalStatus.DRAFT, ApprovalStatus.RETURNED}:
        raise ValidationError("已提交审议的计划不能修改；如需调整，请先由审议方退回。")


@transaction.atomic
def plan_candidate_add(
    *,
    actor: Actor,
    plan: AnnualPlan,
    organization: Organization,
    inspection_type: str,
    reasons: list[str],
    note: str = "",
) -> PlanCandidate:
    """Put a unit on the annual plan with the reasons it was chosen."""
    manage_check(actor, plan.committee_id, "您无权修改该计划。")
    _editable(plan.status)
    if inspection_type not in inspection_type_codes():
        raise ValidationError("请选择有效的巡察类型。")
    if not reasons:
        raise ValidationError("请至少选择一项选取理由。")
    unknown = set(reasons) - set(CandidateReason.values)
    if unknown:
        raise ValidationError(f"未知的选取理由：{'、'.join(sorted(unknown))}。")
    if not organization.managed_by.path.startswith(plan.committee.path):
        raise ValidationError(f"{organization.name}不在{plan.committee.short_name}的巡察范围内。")
    if plan.candidates.filter(organization=organization).exists():
        raise ValidationError(f"{organization.name}已在计划中。")
    candidate = PlanCandidate.objects.create(
        plan=plan,
        organization=organization,
        inspection_type=inspection_type,
        reasons=reasons,
        note=note,
        created_by=account_of(actor),
    )
    audit_record(
        action="planning.candidate_add",
        actor=actor,
        target=candidate,
        committee_id=plan.committee_id,
        summary=f"{plan.title}：列入{organization.name}",
    )
    return candidate


@transaction.atomic
def plan_candidate_remove(*, actor: Actor, candidate: PlanCandidate) -> None:
    """Take a unit off a draft annual plan."""
    manage_check(actor, candidate.plan.committee_id, "您无权修改该计划。")
    _editable(candidate.plan.status)
    audit_record(
        action="planning.candidate_remove",
        actor=actor,
        target=candidate,
        committee_id=candidate.plan.committee_id,
        summary=f"{candidate.plan.title}：移出{candidate.organization.name}",
    )
    candidate.delete()


@transaction.atomic
def approval_transition(
    *, actor: Actor, subject: AnnualPlan | Round, action: str, opinion: str = "", on: date | None = None
) -> ApprovalStep:
    """Move a plan or a round one step through 巡察办 → 领导小组 → 常委会 on the engine, recording who and why."""
    transition = APPROVAL_MACHINE.get(action)
    subject = type(subject).objects.select_for_update().get(pk=subject.pk)
    capacities = acts_as(actor, subject.committee_id)
    if action == "return":
        # Whoever holds the step may return it: the leading group at 审议, the committee at 审定.
        capacities &= {"leading_group"} if subject.status == ApprovalStatus.SUBMITTED else {"committee"}
    transition_perform(
        APPROVAL_MACHINE,
        subject,
        action,
        actor=actor,
        capacities=capacities,
        reason=opinion,
        on=on,
        committee_id=subject.committee_id,
        summary=f"{subject}：{transition.label}",
    )
    return subject.approval_steps.latest("id")


@transaction.atomic
def round_create(
    *,
    actor: Actor,
    committee: Committee,
    year: int,
    seq_no: int,
    start_date: date,
    end_date: date,
    name: str = "",
    framework: str = "three_focuses",
    focus: str = "",
    annual_plan: AnnualPlan | None = None,
) -> Round:
    """Open a round (第N轮) of a committee."""
    manage_check(actor, committee.pk, "只有本级巡察办可以安排巡察轮次。")
    if end_date < start_date:
        raise ValidationError("轮次结束日期不能早于开始日期。")
    if framework not in FRAMEWORKS:
        raise ValidationError("请选择有效的监督重点框架。")
    if Round.objects.filter(committee=committee, year=year, seq_no=seq_no).exists():
        raise ValidationError(f"{committee.short_name}{year}年已有第{seq_no}轮。")
    if annual_plan is not None and annual_plan.committee_id != committee.id:
        raise ValidationError("年度计划不属于该党委。")
    numerals = "一二三四五六七八九十"
    ordinal = numerals[seq_no - 1] if 1 <= seq_no <= 10 else str(seq_no)
    # The year is in the default name: “长沙市委2022年第二轮巡察” and its 2027 namesake stay apart.
    name = name.strip() or f"{committee.short_name}{year}年第{ordinal}轮{committee.activity_name}"
    if Round.objects.filter(committee=committee, year=year, name=name).exists():
        raise ValidationError(f"{committee.short_name}{year}年已有名为“{name}”的轮次，请换一个名称。")
    round_ = Round.objects.create(
        committee=committee,
        year=year,
        seq_no=seq_no,
        name=name,
        framework=framework,
        focus=focus,
        start_date=start_date,
        end_date=end_date,
        annual_plan=annual_plan,
        created_by=account_of(actor),
    )
    audit_record(
        action="planning.round_create", actor=actor, target=round_, committee_id=committee.id, summary=round_.name
    )
    return round_


@transaction.atomic
def round_file(*, actor: Actor, round_: Round, filing_no: str, filed_at: datetime | None = None) -> Round:
    """报备: file the approved round with the upper committee's office, which can then read it.

    `filed_at` records a filing made on paper before the platform (historical ledgers)."""
    manage_check(actor, round_.committee_id, "只有本级巡察办可以报备。")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != ApprovalStatus.APPROVED:
        raise ValidationError("轮次方案审定后方可报备。")
    if round_.filed_at is not None:
        raise ValidationError(f"该轮次已于 {timezone.localtime(round_.filed_at):%Y-%m-%d} 报备。")
    if round_.committee.parent_id is None:
        raise ValidationError("该党委没有上级党委，无需报备。")
    if not filing_no.strip():
        raise ValidationError("请填写报备文号。")
    round_.filed_at = filed_at or timezone.now()
    round_.filing_no = filing_no.strip()
    round_.filed_by = account_of(actor)
    round_.save(update_fields=["filed_at", "filing_no", "filed_by", "updated_at"])
    audit_record(
        action="planning.round_file",
        actor=actor,
        target=round_,
        committee_id=round_.committee_id,
        summary=f"{round_.name}向{round_.committee.parent}报备（{round_.filing_no}）",
    )
    return round_
