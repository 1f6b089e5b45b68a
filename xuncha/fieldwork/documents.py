"""On-site documents as .docx in the official layout (GB/T 9704, the core builder): the 谈话记录 and the
调阅清单 with its 交接手续. The interview text comes opened (and audited) by the caller's service."""

from xuncha.core.documents import OfficialDocument, cn_date
from xuncha.fieldwork.models import DocumentRequest, InterviewRecord


def _team_name(assignment: object) -> str:
    team = getattr(assignment, "team", None)
    return str(team.name) if team is not None else "巡察组"


def interview_record_docx(record: InterviewRecord, text: str) -> bytes:
    """谈话记录: who, when, where, who interviewed and who recorded, the record, the interviewee's check."""
    subject = record.subject
    assignment = subject.assignment
    doc = OfficialDocument()
    doc.title("谈话记录")
    interviewers = "、".join(p.name for p in record.interviewers.all())
    doc.table(
        ["项目", "内容"],
        [
            ["巡察组", _team_name(assignment)],
            ["被巡察党组织", assignment.organization.party_org_name],
            ["谈话对象", f"{subject.name}（{subject.title}）"],
            ["类别", f"{subject.get_kind_display()}（{subject.get_basis_display()}）"],
            ["谈话时间", cn_date(record.held_on)],
            ["谈话地点", record.place or "—"],
            ["谈话人", interviewers],
            ["记录人", record.recorder.name],
        ],
    )
    for paragraph in [p for p in text.splitlines() if p.strip()]:
        doc.body(paragraph.strip())
    doc.body("以上记录经本人核对无误。" if record.confirmed else "（谈话对象尚未核对签字。）")
    doc.body("谈话对象（签字）：                谈话人（签字）：                记录人（签字）：")
    return doc.bytes()


def document_list_docx(request: DocumentRequest) -> bytes:
    """调阅清单 with the hand-over (交接) and return (归还) signatures."""
    assignment = request.assignment
    doc = OfficialDocument()
    doc.title(f"{_team_name(assignment)}调阅资料清单")
    doc.addressee(f"{assignment.organization.name}{request.provider}：")
    doc.body(
        f"根据巡察工作需要，请于收到本清单后及时提供下列资料（清单第{request.number}号），巡察组使用完毕后按清单归还。"
    )
    items = list(request.items.all())
    doc.table(
        ["序号", "材料名称", "份（册）数", "原件或复印件"],
        [[str(n), i.title, str(i.copies), "原件" if i.original else "复印件"] for n, i in enumerate(items, start=1)],
    )
    handed = (
        f"移交人：{request.handed_by}    接收人：{request.received_by.name}    日期：{cn_date(request.received_on)}"
        if request.received_on and request.received_by
        else "移交人：            接收人：            日期：      年  月  日"
    )
    returned = (
        f"归还人：{request.returned_by.name}    接收人：{request.taken_back_by}    日期：{cn_date(request.returned_on)}"
        if request.returned_on and request.returned_by
        else "归还人：            接收人：            日期：      年  月  日"
    )
    doc.heading(1, "调入交接")
    doc.body(handed)
    doc.heading(2, "归还交接")
    doc.body(returned)
    doc.signature(_team_name(assignment), request.requested_on)
    return doc.bytes()
