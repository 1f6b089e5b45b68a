"""转办函: the letter that goes with a petition referred out, as an official .docx (GB/T 9704 layout).

What the receiver gets is the referral text only (domain.md §6.2): who is reported and what about,
never the reporter — not their name, contact, unit, nor whether they gave a name — and nothing
else of the record (channel, time of receipt, attachments, notes), since each can point at them.
"""

from typing import Any

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xuncha.core.documents import PAGE_FONT, OfficialDocument, cn_date, set_font
from xuncha.petitions.models import Petition, Referral
from xuncha.planning.models import Assignment

TITLE = "关于转办信访件的函"
REDACTED = "×××"


def letter_issuer(assignment: Assignment) -> str:
    """The team's full official name, e.g. 中共长沙市委第一巡察组."""
    c = assignment.round.committee
    announcement = getattr(assignment, "announcement", None)
    team = assignment.team.name if assignment.team else f"{c.activity_name}组"
    named = announcement.issuer if announcement else f"{c.short_name}{team}"
    # The announcement names the team by the committee's short name; a letter carries the full one.
    return c.name + named.removeprefix(c.short_name) if named.startswith(c.short_name) else named


def _redact(text: str, identity: dict[str, str]) -> str:
    # A reporter may sign the letter's text itself; their own words must not carry them to the receiver.
    for key in ("name", "phone", "address"):
        value = (identity.get(key) or "").strip()
        if len(value) >= 2:
            text = text.replace(value, REDACTED)
    return text


def referral_letter_docx(referral: Referral, user: Any) -> bytes:
    """The 转办函 of a referral, stamped with who generated it and when."""
    petition: Petition = referral.petition
    assignment = petition.assignment
    c = assignment.round.committee
    act = c.activity_name
    issuer = letter_issuer(assignment)
    identity = petition.sealed_identity.open() if petition.sealed_identity else {}
    content = {k: _redact(str(v or "").strip(), identity) for k, v in petition.sealed_content.open().items()}

    doc = OfficialDocument()
    doc.masthead(issuer, referral.letter_no)
    doc.title(TITLE)
    doc.addressee(f"{referral.receiver}：")
    doc.body(
        f"根据{c.name}统一部署，我组对{assignment.organization.name}党组织开展{act}。{act}期间，我组收到一件信访件，经研究，反映的问题"
        f"不属于本次{act}受理范围。按照“分级负责、归口办理”的原则，现转你单位办理。"
    )
    doc.body("信访件反映的主要问题如下：")
    post = content.get("subject_unit", "") + content.get("subject_position", "")
    who = "，".join(part for part in (content.get("subject_name", ""), post) if part)
    if who:
        doc.body(f"被反映人：{who}。")
    lines = [line.strip() for line in content.get("what", "").splitlines() if line.strip()]
    for n, line in enumerate(lines):
        doc.body(f"反映事项：{line}" if n == 0 else line)
    for key, label in (("when", "发生时间"), ("where", "发生地点")):
        if content.get(key):
            doc.body(f"{label}：{content[key]}")
    # The result is due months later, when the team has usually been dissolved: the office takes it then.
    office = c.office_name or f"{c.short_name}{act}办"
    doc.body(
        f"请你单位依规依纪依法认真办理，并请于{cn_date(referral.due_on)}前将办理结果反馈我组；"
        f"我组{act}工作结束后，反馈{office}。"
    )
    doc.body("办理过程中请严格保密，控制知情范围，不得泄露反映人信息，不得将信访件转给被反映人。")
    doc.body("特此函告。")
    doc.signature(issuer, referral.sent_on)

    stamp = (
        f"生成人：{user.full_name or user.username}　生成时间：{timezone.localtime():%Y-%m-%d %H:%M}　"
        f"仅限{referral.letter_no}转办使用，不得外传"
    )
    footer = doc.doc.sections[0].footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run(stamp), PAGE_FONT, 9)
    # python-docx's template says "python-docx" and 2013: the file's own properties name the issuer instead.
    props = doc.doc.core_properties
    props.title, props.subject, props.author, props.last_modified_by = TITLE, referral.letter_no, issuer, issuer
    props.comments, props.keywords = stamp, ""
    props.created = props.modified = timezone.now()
    return doc.bytes()
