"""立行立改通知书 in the official layout (GB/T 9704, the core builder)."""

from xuncha.core.documents import OfficialDocument, cn_date
from xuncha.findings.models import ImmediateFix


def immediate_fix_notice_docx(fix: ImmediateFix) -> bytes:
    problem = fix.problem
    a = problem.assignment
    c = a.round.committee
    w = c.activity_name
    team = a.team.name if a.team else f"{w}组"
    doc = OfficialDocument()
    doc.masthead(f"{c.short_name}{team}", fix.notice_no)
    doc.title("立行立改通知书")
    doc.addressee(f"{a.organization.party_org_name or a.organization.name}：")
    doc.body(
        f"{team}在对你单位开展{w}期间发现以下问题，属于可以立即整改的事项。根据{w}工作有关规定，"
        f"请你单位立行立改，并于{cn_date(fix.due_on)}前将整改情况书面报告{team}。"
    )
    doc.heading(1, "发现的问题")
    doc.body(problem.title)
    doc.heading(2, "整改要求")
    doc.body(fix.requirement)
    doc.body("本通知书须由你单位党组织主要负责人签收。立行立改不代替巡察反馈后的集中整改，相关问题仍纳入整改台账。")
    doc.signature(f"{c.short_name}{team}", fix.issued_on)
    return doc.bytes()
