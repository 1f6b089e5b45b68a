"""The seed round's problems (seed 000): 665 problems under the 三个聚焦 across its 50 assignments, 175 of
them fixed on the spot — each one written, reviewed and approved on the engine while its team was on site,
so every figure the pages show is counted from these records."""

from datetime import timedelta
from typing import Any

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


# Leads of the seed round (domain.md §4.7): most go to the 市纪委监委, cadre-selection ones to the 市委组织部.
LEAD_CASES = [
    ("interview", "integrity", "反映该单位财务负责人在工程款拨付中收受施工方好处费。", "财务部负责人", "to_discipline"),
    ("document", "integrity", "调阅资料发现多笔大额费用以会议费名义报销，疑似套取资金。", "办公室主任", "to_discipline"),
    ("interview", "organizational", "反映2021年中层干部选拔中存在突击提拔、程序倒置问题。", "党委副书记", "to_org_dept"),
    ("check", "mass", "抽查发现惠民补贴发放中存在优亲厚友，涉及村干部亲属。", "村党支部书记", "to_discipline"),
]  # fmt: skip
SEED_LEAD_ASSIGNMENTS = 12  # the first regular assignments each leave one lead


def seed_leads(assignment: Assignment, index: int) -> None:
    """The assignment's lead, registered on site, studied at 组务会, proposed and decided before the team leaves."""
    from xuncha.findings.leads.services import lead_propose, lead_register, lead_review, leads_decide

    if index >= SEED_LEAD_ASSIGNMENTS:
        return
    source, category, summary, post, destination = LEAD_CASES[index % len(LEAD_CASES)]
    start = assignment.entered_on or assignment.planned_entry
    on = start + timedelta(days=7)
    lead = lead_register(actor=DEMO, assignment=assignment, source=source, summary=summary, category=category,
                         subjects=[{"name": f"{'张王李赵刘陈杨黄'[index % 8]}某某", "post": post}])  # fmt: skip
    lead = lead_review(actor=DEMO, lead=lead, on=on, opinion="组务会研究认为线索具体、可查，建议移交。")
    lead = lead_propose(actor=DEMO, lead=lead, destination=destination)
    leads_decide(actor=DEMO, leads=[lead], body="leading_group", decided_on=on + timedelta(days=3),
                 minutes_no=f"领导小组会议纪要〔2022〕{index + 1}号")  # fmt: skip


def transfer_seed_leads(round_: Any) -> None:
    """After the feedback: one 移交函 to the 市纪委监委 and one to the 市委组织部; the commission has signed for its
    list and reported back on part of it, the department has signed and is handling its lead."""
    from datetime import date

    from xuncha.findings.leads.services import (
        lead_disposal_record,
        lead_report_back,
        lead_transfer_sign,
        leads_transfer,
    )
    from xuncha.findings.models import Lead

    decided = Lead.objects.filter(assignment__round=round_, status="decided").order_by("pk")
    for destination, letter, signed in (("to_discipline", "长巡移〔2022〕1号", date(2022, 12, 23)),
                                        ("to_org_dept", "长巡移〔2022〕2号", date(2022, 12, 26))):  # fmt: skip
        leads = list(decided.filter(destination=destination))
        if not leads:
            continue
        transfer = leads_transfer(actor=DEMO, leads=leads, letter_no=letter, transferred_on=date(2022, 12, 21),
                                  materials=["问题线索登记表", "谈话记录摘录", "调阅材料复印件"])  # fmt: skip
        lead_transfer_sign(actor=DEMO, transfer=transfer, on=signed)
        for n, lead in enumerate(Lead.objects.filter(transfer=transfer).order_by("pk")):
            lead = lead_disposal_record(actor=DEMO, lead=lead, disposal=["preliminary_verification", "talk_inquiry",
                                        "closed_no_action"][n % 3], on=signed + timedelta(days=20))  # fmt: skip
            if destination == "to_discipline" and n % 3 != 0:
                lead_report_back(actor=DEMO, lead=lead, on=date(2023, 3, 10),
                                 result="经初步核实，反映问题部分属实，已对相关人员进行谈话提醒并责令退还违规款项。")  # fmt: skip
