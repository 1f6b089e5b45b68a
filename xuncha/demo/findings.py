"""The seed round's problems (seed 000): 665 problems under the 三个聚焦 across its 50 assignments, 175 of
them fixed on the spot — each one written, reviewed and approved on the engine while its team was on site,
so every figure the pages show is counted from these records."""

from datetime import timedelta

from xuncha.core.actors import DEMO
from xuncha.findings.models import ProblemTrack, Severity
from xuncha.findings.problems.services import (
    immediate_fix_issue,
    immediate_fix_transition,
    problem_create,
    problem_transition,
)
from xuncha.planning.models import Assignment

SEED_PROBLEMS, SEED_IMMEDIATE, SEED_ASSIGNMENTS = 665, 175, 50

TITLES = {
    "focus_policy": [
        "贯彻落实党中央关于乡村振兴的决策部署不够有力", "落实意识形态工作责任制不到位", "重大项目推进缓慢、责任落实不力",
        "执行“三重一大”决策制度不严格", "贯彻新发展理念不够深入，产业规划落地滞后",
    ],
    "focus_grassroots_corruption": [
        "违规发放津补贴", "公务接待超标准、超范围", "工程项目招投标管理不规范", "集体“三资”管理混乱",
        "惠民资金审核把关不严、存在优亲厚友", "违规使用公务用车", "财务报销把关不严",
    ],
    "focus_grassroots_org": [
        "“三会一课”制度落实不到位", "民主集中制执行不严格", "选人用人程序不规范", "干部队伍结构老化、后备力量不足",
        "基层党组织软弱涣散", "党员发展和教育管理不规范",
    ],
}  # fmt: skip


def _share(total: int, parts: int, index: int) -> int:
    """An even split of `total` over `parts` (the first ones take the remainder)."""
    base, extra = divmod(total, parts)
    return base + (1 if index < extra else 0)


def seed_problems(assignment: Assignment, index: int) -> None:
    """The `index`-th assignment's share of the seed round's problems, found on its first on-site days."""
    count, immediate = _share(SEED_PROBLEMS, SEED_ASSIGNMENTS, index), _share(SEED_IMMEDIATE, SEED_ASSIGNMENTS, index)
    start = assignment.entered_on or assignment.planned_entry
    end = assignment.onsite_end or start + timedelta(days=10)
    categories = list(TITLES)
    for n in range(count):
        category = categories[(index + n) % len(categories)]
        titles = TITLES[category]
        found_on = min(start + timedelta(days=1 + n % 5), end)
        track = ProblemTrack.IMMEDIATE if n < immediate else ProblemTrack.REPORT
        problem = problem_create(
            actor=DEMO, assignment=assignment, title=titles[(index * 3 + n) % len(titles)], category=category,
            phenomenon=f"经查阅{assignment.organization.short_name or assignment.organization.name}2021年以来有关资料发现，"
                       "存在上述问题，涉及具体事项见佐证材料清单。",
            severity=[Severity.GENERAL, Severity.GENERAL, Severity.SERIOUS, Severity.GRAVE][n % 4],
            track=track, discovered_on=found_on, source_methods=["document_review"],
        )  # fmt: skip
        for code in ("group_review", "sign", "approve"):
            problem_transition(actor=DEMO, problem=problem, code=code, on=found_on)
        if track == ProblemTrack.IMMEDIATE:
            fix = immediate_fix_issue(actor=DEMO, problem=problem, requirement="立即整改，并将整改情况书面报告巡察组。",
                                      due_on=end, on=found_on)  # fmt: skip
            immediate_fix_transition(actor=DEMO, fix=fix, code="sign", on=found_on)
            immediate_fix_transition(actor=DEMO, fix=fix, code="report", text="已按要求完成整改。", on=end)
            immediate_fix_transition(actor=DEMO, fix=fix, code="verify", text="经核实已整改。", on=end)
