"""Official documents of a round as .docx (巡察工作方案, 关于成立巡察组的通知), on the core builder."""

from django.utils import timezone

from xuncha.core.codetables import code_choices, code_items
from xuncha.core.documents import OfficialDocument, cn_date
from xuncha.planning.choices import AssignmentState, TeamRole
from xuncha.planning.models import Round
from xuncha.planning.selectors import kind_label, round_mix


def _leading_group(round_: Round) -> str:
    c = round_.committee
    return f"{c.name}{c.activity_name}工作领导小组"


def names_list(names: list[str]) -> str:
    """Names in one sentence: joined by 、 as usual, by ； when a name itself contains 、 (so that
    “长沙市住房和城乡建设局、人防办” is not read as two units)."""
    return ("；" if any("、" in n for n in names) else "、").join(names)


def round_title(round_: Round) -> str:
    """The round as the title of its teams: “市委第四轮巡察” + 组 reads “市委第四轮巡察组”, not 巡察巡察组."""
    word = round_.committee.activity_name
    return round_.name.removesuffix(word) if round_.name.endswith(word) else round_.name


def _teams(round_: Round) -> list[tuple[str, dict[str, list[str]], list[str]]]:
    result = []
    for team in round_.teams.prefetch_related("members__person", "assignments__organization"):
        by_role: dict[str, list[str]] = {r: [] for r in TeamRole.values}
        for m in team.members.all():
            by_role[m.role].append(m.person.name)
        targets = [a.organization.name for a in team.assignments.all() if a.state != AssignmentState.CANCELLED]
        result.append((team.name, by_role, targets))
    return result


def work_plan_docx(round_: Round) -> bytes:
    """巡察工作方案 of a round, from its data."""
    c = round_.committee
    doc = OfficialDocument()
    doc.title(f"{round_.name}工作方案")
    doc.body(
        f"根据《中国共产党巡视工作条例》和{c.name}关于{c.activity_name}工作的统一部署，"
        f"经{_leading_group(round_)}研究，制定本方案。"
    )
    assignments = list(
        round_.assignments.exclude(state=AssignmentState.CANCELLED).select_related("organization", "team")
    )
    doc.heading(1, f"{c.activity_name}对象和方式")
    w = c.activity_name
    mix = "，".join(f"{label.replace('巡察', w)}{count}个" for label, count in round_mix(round_))
    doc.body(f"本轮对{len(assignments)}个党组织开展{c.activity_name}：{mix}。")
    types = dict(code_items("inspection_types").values_list("code", "label"))
    for n, (label, _) in enumerate(round_mix(round_), start=1):
        names = [a.organization.name for a in assignments if kind_label(a.inspection_type, a.flags, types) == label]
        doc.subheading(n, label.replace("巡察", w))
        doc.body(names_list(names) + "。")
    doc.heading(2, "监督重点")
    items = [label for _, label in code_choices(round_.framework, committee=c)] if round_.framework else []
    if items:
        doc.body("紧扣" + "、".join(f"“{i}”" for i in items) + "，深化政治监督。")
    if round_.focus:
        doc.body(round_.focus)
    doc.heading(3, "时间安排")
    doc.body(
        f"本轮{c.activity_name}自{cn_date(round_.start_date)}开始，至{cn_date(round_.end_date)}结束。各项任务安排如下："
    )
    doc.table(
        [f"{c.activity_name}组", f"被{c.activity_name}党组织", "方式", "进驻", "结束", "信访受理截止"],
        [
            [
                a.team.name if a.team else "待定",
                a.organization.name,
                kind_label(a.inspection_type, a.flags, types).replace("巡察", w),
                cn_date(a.planned_entry),
                cn_date(a.onsite_end) if a.onsite_end else "",
                cn_date(a.petition_cutoff) if a.petition_cutoff else "",
            ]
            for a in assignments
        ],
    )
    doc.heading(4, "组织领导和人员安排")
    doc.body(f"本轮共组建{round_.teams.count()}个{c.activity_name}组，实行组长负责制，组长实行“一次一授权”。")
    for name, by_role, targets in _teams(round_):
        leaders = "；".join(
            f"{TeamRole(role).label}{'、'.join(people)}"
            for role, people in by_role.items()
            if people and role != TeamRole.MEMBER
        )
        doc.body(f"{name}：{leaders + '；' if leaders else ''}负责{names_list(targets) or '（待定）'}。")
    doc.heading(5, "工作要求")
    doc.body(f"严格执行回避制度，{w}组成员与被{w}党组织有回避情形的，应当主动申报，由{w}办核实后按程序调整。")
    doc.body(f"严守政治纪律、组织纪律、廉洁纪律和保密纪律，不干预被{w}党组织正常工作，不处理被{w}党组织的具体问题。")
    doc.signature(c.office_name or f"{c.short_name}{c.activity_name}办", timezone.localdate())
    return doc.bytes()


def team_notice_docx(round_: Round, doc_no: str = "") -> bytes:
    """关于成立巡察组的通知, with the red masthead of the leading group."""
    c = round_.committee
    w = c.activity_name
    issuer = _leading_group(round_)
    doc = OfficialDocument()
    doc.masthead(f"{issuer}文件", doc_no or f"{c.short_name[:1]}巡发〔{round_.year}〕{round_.seq_no}号")
    doc.title(f"关于成立{round_title(round_)}{w}组的通知")
    doc.addressee(f"各{w}组，各被{w}党组织：")
    teams = _teams(round_)
    doc.body(f"根据{c.name}关于{round_.name}的工作部署，经研究，决定成立{len(teams)}个{w}组。现将有关事项通知如下：")
    for n, (name, by_role, targets) in enumerate(teams, start=1):
        doc.subheading(n, name) if n <= 10 else doc.body(name)
        for role in (TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.LIAISON, TeamRole.MEMBER):
            if by_role[role]:
                label = "成员" if role == TeamRole.MEMBER else TeamRole(role).label
                doc.body(f"{label}：{'、'.join(by_role[role])}")
        doc.body(f"{w}对象：{names_list(targets) or '另行通知'}")
    doc.body(f"{w}组组长经授权后开展工作，{w}任务完成后{w}组自行撤销。")
    doc.signature(issuer, timezone.localdate())
    return doc.bytes()
