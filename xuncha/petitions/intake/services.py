"""Writes of petitions: public submission, the dialogue, staff registration, identity reveal."""

from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.hidden_chars import strip_hidden
from xuncha.core.params import param_value
from xuncha.core.rows import insert_row
from xuncha.core.sealing import can_open
from xuncha.core.uploads import Checked
from xuncha.fieldwork.announcements import intake_state_now, within_reception_hours
from xuncha.fieldwork.models import Announcement
from xuncha.petitions.choices import Channel, SourceRequirement
from xuncha.petitions.decisions.clocks import clock_params, deadlines
from xuncha.petitions.intake.attachments import attach, attachment_chunks
from xuncha.petitions.intake.receipts import new_receipt_code, receipt_hash, reporter_public
from xuncha.petitions.models import Attachment, IncomingReferral, Petition, PetitionMessage, PetitionNote
from xuncha.petitions.permissions import can_reveal, is_on_team
from xuncha.petitions.triage.categories import index_petition
from xuncha.planning.models import Assignment

IDENTITY_FIELDS = ("name", "phone", "unit", "address")
CONTENT_FIELDS = ("subject_name", "subject_unit", "subject_position", "what", "when", "where")
MAX_TEXT = 5000


def _clean(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for key in fields:
        value = strip_hidden(str(data.get(key) or "")).strip()
        if len(value) > MAX_TEXT:
            raise ValidationError(f"内容过长（不超过 {MAX_TEXT} 字）。")
        out[key] = value
    return out


def petition_submit(
    *,
    announcement: Announcement,
    content: dict[str, Any],
    identity: dict[str, Any] | None = None,
    now: datetime | None = None,
    attachments: list[Checked] | None = None,
) -> tuple[Petition, str]:
    """Take in a public report: seal it, store the receipt hash, return the receipt code (shown once)."""
    now = now or timezone.now()
    open_, why = intake_state_now(announcement, timezone.localtime(now).date())
    if not open_:
        raise ValidationError(why)
    clean = _clean(content, CONTENT_FIELDS)
    if len(clean["what"]) < 10:
        raise ValidationError("请具体写明反映的问题（不少于 10 个字）。")
    person = _clean(identity, IDENTITY_FIELDS) if identity else None
    if person is not None and (not person["name"] or not person["phone"]):
        raise ValidationError("实名反映请填写姓名和联系电话；不愿留名可选择匿名反映。")
    code = new_receipt_code()
    # One INSERT is atomic by itself; a transaction is opened only when files come with the report.
    with transaction.atomic() if attachments else nullcontext():
        petition = _store(announcement, clean, person, code, now, attachments or [])
    # The public path stays light: clocks, duplicate index and the audit entry follow on the task queue.
    transaction.on_commit(schedule_sweep)
    return petition, code


def _store(
    announcement: Announcement,
    clean: dict[str, str],
    person: dict[str, str] | None,
    code: str,
    now: datetime,
    files: list[Checked],
) -> Petition:
    """Write the sealed petition (and its files): one prepared INSERT, the intake's hot path."""
    petition = insert_row(
        Petition,
        assignment_id=announcement.assignment_id,
        channel=Channel.QR,
        anonymous=person is None,
        receipt_hash=receipt_hash(code),
        # The key the team's replies are sealed to is only needed where they come back to this node.
        reporter_public=reporter_public(code) if settings.NODE == "intake" and settings.REPLY_VERIFY_KEY else None,
        sealed_identity=person or None,
        sealed_content=clean,
        received_at=now,
    )
    attach(petition, files)
    return petition


_next_sweep: list[datetime | None] = [None]
SWEEP_DELAY = timedelta(seconds=1)


def schedule_sweep() -> None:
    """Queue the processing of new submissions, coalesced: one sweep a second per process.

    The sweep is queued to run a second from now and processes every pending petition committed
    before it starts, so a submission committed while a later sweep is already queued is covered by
    it; once that time has passed, the next submission queues a new one. Nothing waits forever."""
    from xuncha.petitions.tasks import petition_sweep

    now = timezone.now()
    due = _next_sweep[0]
    if due is not None and now < due:
        return
    if not petition_sweep.get_backend().supports_defer:
        petition_sweep.enqueue()
        return
    run_at = now + SWEEP_DELAY
    petition_sweep.using(run_after=run_at).enqueue()
    _next_sweep[0] = run_at


def sweep(limit: int = 500) -> int:
    """Process unprocessed public submissions (those without clocks yet)."""
    done = 0
    params: dict[int, dict[str, int]] = {}  # the clock parameters, read once per committee
    for petition_id in (
        Petition.objects.filter(sign_due__isnull=True).order_by("pk").values_list("pk", flat=True)[:limit]
    ):
        with transaction.atomic():
            petition_process(petition_id, params)
        done += 1
    return done


def petition_process(petition_id: int, params: dict[int, dict[str, int]] | None = None) -> None:
    """After a public submission: set the SLA clocks, index it for duplicates, record the receipt."""
    petition = Petition.objects.select_related("assignment__round__committee").get(pk=petition_id)
    if petition.sign_due is None:
        known = {} if params is None else params
        committee = petition.assignment.round.committee_id
        if committee not in known:
            known[committee] = clock_params(petition.assignment)
        named = not petition.anonymous
        for field, value in deadlines(petition.assignment, petition.received_at, named, known[committee]).items():
            setattr(petition, field, value)
        petition.save(update_fields=["sign_due", "handle_due", "ack_due", "updated_at"])
    if can_open():
        _index(petition, petition.sealed_content.open())
    audit_record(
        action="petitions.received",
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"收到信访件 {petition.number}（{Channel(petition.channel).label}）",
    )


def _index(petition: Petition, content: dict[str, str]) -> None:
    """Near-duplicate index, on the internal side only (an intake node cannot compute keyed features)."""
    if can_open():
        index_petition(petition, content)


def petition_by_receipt(code: str) -> Petition | None:
    return Petition.objects.filter(receipt_hash=receipt_hash(code)).select_related("assignment").first()


@transaction.atomic
def reporter_add(*, petition: Petition, text: str) -> PetitionMessage:
    """The reporter adds information with the receipt code."""
    text = text.strip()
    if not text:
        raise ValidationError("请填写补充内容。")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"内容过长（不超过 {MAX_TEXT} 字）。")
    message = PetitionMessage.objects.create(petition=petition, from_reporter=True, sealed_body=text)
    audit_record(
        action="petitions.reporter_added",
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：反映人补充材料",
    )
    return message


def _team_only(actor: Actor, petition: Petition) -> None:
    if not is_on_team(actor, petition):
        raise PermissionDenied("只有承担该巡察任务的巡察组可以办理。")


@transaction.atomic
def team_reply(*, actor: Actor, petition: Petition, text: str) -> PetitionMessage:
    """A reply the reporter will read with the receipt code."""
    _team_only(actor, petition)
    text = text.strip()
    if not text:
        raise ValidationError("请填写答复内容。")
    if petition.receipt_hash is None:
        raise ValidationError("该信访件不是通过网上渠道提交，无法在线答复。")
    message = PetitionMessage.objects.create(
        petition=petition, from_reporter=False, sealed_body=text, author=account_of(actor)
    )
    audit_record(
        action="petitions.team_reply",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：答复反映人",
    )
    return message


@transaction.atomic
def note_add(*, actor: Actor, petition: Petition, text: str) -> PetitionNote:
    """An internal note (never shown to the reporter)."""
    _team_only(actor, petition)
    if not text.strip():
        raise ValidationError("请填写内容。")
    note = PetitionNote.objects.create(petition=petition, sealed_body=text.strip(), author=account_of(actor))
    audit_record(
        action="petitions.note_add",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"信访件 {petition.number}：内部记录",
    )
    return note


REVEAL_REASON_MIN = 4


def identity_reveal(*, actor: Actor, petition: Petition, reason: str, request: Any = None) -> dict[str, str] | None:
    """Open the reporter's identity for the leader or the petition officer, for a stated reason; every
    reveal is audit-logged with its reason."""
    if not can_reveal(actor, petition):
        raise PermissionDenied("只有本组组长和信访专员可以查看反映人信息。")
    reason = reason.strip()
    if len(reason) < REVEAL_REASON_MIN:
        raise ValidationError(f"查看反映人信息须说明事由（不少于 {REVEAL_REASON_MIN} 个字），如“电话联系核实情况”。")
    if len(reason) > 200:
        raise ValidationError("事由不超过 200 字。")
    if petition.sealed_identity is None:
        return None
    with transaction.atomic():
        audit_record(
            action="petitions.identity_reveal",
            actor=actor,
            target=petition,
            committee_id=petition.assignment.round.committee_id,
            summary=f"查看信访件 {petition.number} 的反映人信息，事由：{reason}",
            data={"reason": reason},
            request=request,
        )
    identity: dict[str, str] = petition.sealed_identity.open()
    return identity


def attachment_download_open(*, actor: Actor, attachment: Attachment) -> Iterator[bytes]:
    """A reporter's file for the team of its assignment, streamed as it is opened; every download audited."""
    petition = attachment.petition
    if not is_on_team(actor, petition):
        raise PermissionDenied("只有本组成员可以下载信访附件。")
    audit_record(
        action="petitions.attachment_download",
        actor=actor,
        target=petition,
        committee_id=petition.assignment.round.committee_id,
        summary=f"下载信访件 {petition.number} 的附件",
    )
    return attachment_chunks(attachment)


def _staff_identity(identity: dict[str, Any] | None) -> dict[str, str] | None:
    """The reporter of a registered item: none (anonymous), or at least a name and a way to reach them."""
    person = _clean(identity, IDENTITY_FIELDS) if identity else None
    if person is None or not any(person.values()):
        return None
    if not person["name"]:
        raise ValidationError("实名登记须填写反映人姓名；匿名来信来电请不要填写反映人信息。")
    if not person["phone"] and not person["address"]:
        raise ValidationError("请填写反映人的联系电话或联系地址，以便受理告知和结果反馈。")
    return person


def _incoming(assignment: Assignment, data: dict[str, Any] | None, received_at: datetime) -> dict[str, Any]:
    """The particulars of a 上级转办: sender, letter number, what it asks and by when (validated)."""
    data = data or {}
    office, letter_no = str(data.get("source_office") or "").strip(), str(data.get("letter_no") or "").strip()
    requirement = data.get("requirement") or ""
    if not office or not letter_no:
        raise ValidationError("上级转办须填写来文单位和来文文号。")
    if requirement not in SourceRequirement.values:
        raise ValidationError("请选择上级转办的办理要求（要结果、要情况或阅知）。")
    due_on = data.get("due_on")
    if requirement == SourceRequirement.NOTE:
        due_on = None
    elif due_on is None:
        due_on = deadlines(assignment, received_at, named=False)["handle_due"]
    elif due_on < timezone.localtime(received_at).date():
        raise ValidationError("上级转办的报结时限不能早于收到时间。")
    return {"source_office": office, "letter_no": letter_no, "requirement": requirement, "due_on": due_on}


@transaction.atomic
def petition_register(
    *,
    actor: Actor,
    assignment: Assignment,
    channel: str,
    content: dict[str, Any],
    identity: dict[str, Any] | None = None,
    received_at: datetime | None = None,
    attachments: list[Checked] | None = None,
    incoming: dict[str, Any] | None = None,
) -> Petition:
    """Staff register a letter, call, visit, box item or 上级转办 (with its scans); a call outside the
    announced hours is flagged."""
    if channel not in Channel.values or channel == Channel.QR:
        raise ValidationError("请选择来信、来电、来访、电子邮件、意见箱或上级转办。")
    if not is_on_team(actor, Petition(assignment=assignment)):
        raise PermissionDenied("只有承担该巡察任务的巡察组可以登记信访件。")
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError("收到时间不能晚于现在。")
    clean = _clean(content, CONTENT_FIELDS)
    if not clean["what"]:
        raise ValidationError("请填写反映的问题。")
    person = _staff_identity(identity)
    source = _incoming(assignment, incoming, received_at) if channel == Channel.REFERRAL_IN else None
    clocks = deadlines(assignment, received_at, person is not None)
    if source and source["due_on"]:
        clocks["handle_due"] = min(clocks["handle_due"], source["due_on"])
    petition = Petition.objects.create(
        assignment=assignment,
        channel=channel,
        anonymous=person is None,
        sealed_identity=person or None,
        sealed_content=clean,
        received_at=received_at,
        out_of_hours=channel == Channel.PHONE
        and not within_reception_hours(received_at, _published_hours(assignment), committee=assignment.round.committee),
        created_by=account_of(actor),
        **clocks,
    )
    if source:
        IncomingReferral.objects.create(petition=petition, created_by=account_of(actor), **source)
    attach(petition, attachments or [])
    _index(petition, clean)
    audit_record(
        action="petitions.registered",
        actor=actor,
        target=petition,
        committee_id=assignment.round.committee_id,
        summary=f"登记信访件 {petition.number}（{Channel(channel).label}）",
        data={"attachments": len(attachments or [])},
    )
    return petition


def _published_hours(assignment: Assignment) -> dict[str, Any]:
    """The reception hours the announcement published (the committee's parameter before one exists)."""
    announcement = Announcement.objects.filter(assignment=assignment).only("reception_hours").first()
    if announcement is not None:
        return dict(announcement.reception_hours)
    return dict(param_value("reception_hours", committee=assignment.round.committee))
