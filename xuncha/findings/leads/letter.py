"""问题线索移交函 with its 移交清单, as an official .docx (GB/T 9704 layout): made for the office director of the
transferring committee or for the receiving body, and audited as a read of every lead it lists."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from xuncha.core.actors import Actor, is_system, require_actor
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_label
from xuncha.core.documents import PAGE_FONT, OfficialDocument, cn_date, set_font
from xuncha.findings.leads.choices import Confidentiality, LeadSource
from xuncha.findings.models import Lead, LeadTransfer
from xuncha.findings.permissions import lead_director_committee_ids, lead_receiver_scopes

TITLE = "关于移交问题线索的函"
LIST_TITLE = "问题线索移交清单"
LIST_HEADER = ["序号", "线索编号", "被反映人及职务", "反映的主要问题", "纪律分类", "来源"]


def _issuer(transfer: LeadTransfer) -> str:
    c = transfer.committee
    return c.office_name or f"{c.name}{c.activity_name}工作领导小组办公室"


def _who(subjects: list[dict[str, str]]) -> str:
    return "；".join("，".join(p for p in (s.get("name", ""), s.get("post", "")) if p) for s in subjects)


def lead_letter_docx(transfer: LeadTransfer, user: object) -> bytes:
    """The letter and its list (opened here, inside the service that authorised and audits the read)."""
    leads = list(transfer.leads.select_related("committee", "assignment__organization").order_by("year", "seq"))
    c = transfer.committee
    issuer = _issuer(transfer)
    sealed = any(lead.confidentiality == Confidentiality.HIGH for lead in leads)
    due = min((lead.feedback_due for lead in leads if lead.feedback_due), default=None)

    doc = OfficialDocument()
    doc.masthead(issuer, transfer.letter_no)
    doc.title(TITLE)
    doc.addressee(f"{transfer.receiver_name}：")
    units = "、".join(dict.fromkeys(lead.assignment.organization.name for lead in leads))
    doc.body(
        f"根据《中国共产党巡视工作条例》和{c.name}有关规定，经研究决定，现将{c.activity_name}{units}党组织过程中发现的"
        f"{len(leads)}条问题线索移交你单位，请按照有关规定认真处置。"
    )
    if due:
        doc.body(f"请于{cn_date(due)}前将办理情况书面反馈我办；办结后及时反馈办理结果。")
    doc.body("问题线索涉及党员干部个人，请严格控制知情范围，做好保密工作，不得将线索材料转给被反映人或被反映单位。")
    if sealed:
        doc.body("本函所附线索涉及需要密封移送的人员，请按密封件办理。")
    doc.body(f"附件：{LIST_TITLE}")
    doc.signature(issuer, transfer.transferred_on)

    doc.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.title(LIST_TITLE)
    rows = []
    for n, lead in enumerate(leads, start=1):
        content = lead.sealed_content.open()
        rows.append(
            [
                str(n),
                lead.number,
                _who(lead.sealed_subjects.open()),
                content.get("summary", ""),
                code_label("six_disciplines", lead.category) if lead.category else "",
                LeadSource(lead.source).label,
            ]
        )
    doc.table(LIST_HEADER, rows)
    materials = transfer.sealed_materials.open()
    doc.body("随附材料：")
    for n, item in enumerate(materials, start=1):
        doc.body(f"{n}. {item}")
    doc.body(f"移交日期：{cn_date(transfer.transferred_on)}　移交人：{issuer}　接收人（签收）：")

    name = getattr(user, "full_name", "") or getattr(user, "username", "") or str(user)
    stamp = (
        f"生成人：{name}　生成时间：{timezone.localtime():%Y-%m-%d %H:%M}　仅限{transfer.letter_no}移交使用，不得外传"
    )
    footer = doc.doc.sections[0].footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run(stamp), PAGE_FONT, 9)
    props = doc.doc.core_properties
    props.title, props.subject, props.author, props.last_modified_by = TITLE, transfer.letter_no, issuer, issuer
    props.comments, props.keywords = stamp, ""
    props.created = props.modified = timezone.now()
    return doc.bytes()


@transaction.atomic
def lead_letter_make(*, actor: Actor, transfer: LeadTransfer) -> bytes:
    """The 移交函 for the transferring office director or the receiving body; the generation is audited."""
    require_actor(actor)
    if not is_system(actor):
        directs = transfer.committee_id in lead_director_committee_ids(actor)
        receives = bool(transfer.receiver_role) and (
            (transfer.receiver_committee_id, transfer.receiver_role) in lead_receiver_scopes(actor)
        )
        if not (directs or receives):
            raise PermissionDenied("移交函仅限移交单位的巡察办主任和接收单位使用。")
    data = lead_letter_docx(transfer, actor)
    audit_record(
        action="findings.lead_letter",
        actor=actor,
        target=transfer,
        committee_id=transfer.committee_id,
        summary=f"生成移交函 {transfer.letter_no}",
        data={"leads": list(Lead.objects.filter(transfer=transfer).values_list("pk", flat=True))},
    )
    return data
