"""Problems' and immediate fixes' registrations: the petition flow-in, the report gate, labels, navigation."""

from typing import Any

from django.db.models import Count

from xuncha.core.transitions import Move


def _problem_from_petition(petition: Any, move: Move) -> None:
    """“作为问题使用” / “立行立改”: the working paper opens in the same transaction as the decision."""
    from xuncha.core.codetables import code_items
    from xuncha.findings.models import ProblemTrack
    from xuncha.findings.problems.services import problem_create

    code = move.transition.code
    if code not in {"dispose_use_problem", "dispose_immediate_fix"}:
        return
    assignment = petition.assignment
    first = code_items(assignment.round.framework).values_list("code", flat=True).first()
    problem_create(
        actor=move.actor,
        assignment=assignment,
        title=f"信访件 {petition.number} 反映的问题（待撰写）",
        category=first or "",
        discipline=petition.category or "",
        track=ProblemTrack.IMMEDIATE if code == "dispose_immediate_fix" else ProblemTrack.REPORT,
        petition=petition,
        source_methods=["petition"],
    )


def _every_problem_reviewed(assignment: Any, move: Move) -> str | None:
    from xuncha.findings.models import Problem, ProblemStatus

    pending = Problem.objects.filter(assignment=assignment).exclude(status=ProblemStatus.APPROVED).count()
    if pending:
        return f"还有 {pending} 个问题底稿未经巡察办审核通过，不能起草巡察报告。"
    return None


def _petition_links(petition: Any, user: Any) -> list[Any]:
    from django.urls import reverse

    from xuncha.core.links import Link
    from xuncha.findings.problems.permissions import problems_visible

    return [
        Link(f"问题底稿 {p.number}（{p.get_status_display()}）", reverse("findings:problem_detail", args=[p.pk]))
        for p in problems_visible(user).filter(petition=petition)
    ]


def _review_todos(user: Any) -> list[Any]:
    """The office's review queue, and the unit's notices to sign for, on the home page."""
    from django.urls import reverse

    from xuncha.core.roles import OFFICE_ROLES
    from xuncha.core.todo import Todo
    from xuncha.findings.models import FixStatus, ProblemStatus
    from xuncha.findings.problems.permissions import fixes_for_unit, problems_visible
    from xuncha.planning.permissions import own_committee_ids

    items = []
    offices = own_committee_ids(user, OFFICE_ROLES) if getattr(user, "is_authenticated", False) else set()
    if offices:
        waiting = (
            problems_visible(user)
            .filter(status=ProblemStatus.SIGNED, assignment__round__committee_id__in=offices)
            .count()
        )
        if waiting:
            url = reverse("findings:problem_list") + "?status=signed"
            items.append(Todo(f"{waiting} 个问题底稿待巡察办审核", "组长已签字，请审核通过或退回修改。", url))
    to_sign = fixes_for_unit(user).filter(status=FixStatus.ISSUED).count()
    if to_sign:
        items.append(Todo(f"{to_sign} 份立行立改通知书待签收", "须由本单位党组织主要负责人签收。",
                          reverse("findings:fix_list"), "warning"))  # fmt: skip
    return items


def _problems_by_category(assignment: Any, first: Any, last: Any) -> dict[str, int]:
    """The weekly report's problems found in the week, by the round's 监督重点 categories."""
    from xuncha.core.codetables import code_choices
    from xuncha.findings.models import Problem

    found = Problem.objects.filter(assignment=assignment, discovered_on__range=(first, last))
    counts = dict(found.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    labels = code_choices(assignment.round.framework, committee=assignment.round.committee)
    return {label: counts.get(code, 0) for code, label in labels}


def _register_weekly_counters() -> None:
    from xuncha.fieldwork.weekly import register_weekly_counter

    register_weekly_counter("problems", "发现问题（个）", _problems_by_category)


def register() -> None:
    from xuncha.core.access import rule_of
    from xuncha.core.audit_labels import register_audit_labels
    from xuncha.core.links import register_links
    from xuncha.core.navigation import register_nav
    from xuncha.findings.problems import views
    from xuncha.findings.problems.machines import FIX_MACHINE, PROBLEM_MACHINE
    from xuncha.petitions.machines import PETITION_MACHINE
    from xuncha.planning.machines import ASSIGNMENT_MACHINE

    for label, url_name, view in (("问题底稿", "findings:problem_list", views.problem_list_view),
                                  ("立行立改通知书", "findings:fix_list", views.fix_list)):  # fmt: skip
        rule = rule_of(view)
        assert rule is not None
        register_nav("findings", label, url_name, rule)
    from xuncha.core.todo import register_todo

    register_todo(_review_todos)
    _register_weekly_counters()
    PETITION_MACHINE.observe(_problem_from_petition)
    ASSIGNMENT_MACHINE.add_gate("draft_report", _every_problem_reviewed)
    register_links("petitions.petition", _petition_links)
    actions = {
        "findings.problem_created": "新增问题底稿",
        "findings.problem_updated": "修改问题底稿",
        "findings.fix_issued": "下发立行立改通知书",
        **{f"findings.problem_{t.code}": f"问题底稿：{t.label}" for t in PROBLEM_MACHINE.transitions.values()},
        **{f"findings.fix_{t.code}": f"立行立改：{t.label}" for t in FIX_MACHINE.transitions.values()},
    }
    register_audit_labels(
        actions=actions,
        object_types={
            "findings.problem": "问题底稿",
            "findings.immediatefix": "立行立改通知书",
            "findings.problemresponsibility": "问题责任主体",
        },
    )
