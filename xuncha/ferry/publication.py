"""Publishing announcements to the intake node: the public facts its pages show, and nothing else.

The intake node has no planning of its own: each announcement it serves — and the committees, the
organisation, the round and the assignment it hangs on — is a copy of the internal side's, under
the same primary keys. A copy carries only what is public: names, the channels and sentences the
announcement publishes, and its dates. The planning rows' other dates (report, feedback and
rectification deadlines, the notice date) are not sent; the copy holds the announcement's own dates
where the model requires one. Teams, people, rosters, states and approvals never leave the internal
side. On the node these tables hold nothing but copies: a copy replaces the row of its key, and one
that clashes with another row's unique name or code refuses the whole file.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from xuncha.core.models import Committee
from xuncha.fieldwork.models import Announcement
from xuncha.orgs.models import Organization
from xuncha.planning.models import Assignment, Round

ANNOUNCEMENT_FIELDS = (
    "assignment_id", "token", "issuer", "hotline", "po_box", "email", "address", "supervision_phone", "reception_hours",
    "period_start", "period_end", "cutoff", "closed_on", "scope_text", "referral_text",
)  # fmt: skip
# What of each row the intake node holds, in the order they must be created.
PUBLISHED: list[tuple[str, Any, tuple[str, ...]]] = [
    ("committees", Committee, ("name", "short_name", "level", "office_name", "parent_id")),
    ("organizations", Organization, ("org_code", "name", "short_name", "level", "party_org_type", "managed_by_id")),
    ("rounds", Round, ("committee_id", "year", "seq_no", "name", "start_date", "end_date")),
    ("assignments", Assignment, ("round_id", "organization_id", "inspection_type", "planned_entry", "onsite_end",
                                 "petition_cutoff", "notice_due", "report_due", "feedback_due", "rect_plan_due",
                                 "rect_report_due")),
    ("announcements", Announcement, ANNOUNCEMENT_FIELDS),
]  # fmt: skip


def announcements_changed(since: datetime | None) -> QuerySet[Announcement]:
    qs = Announcement.objects.select_related("assignment__round", "assignment__organization")
    return qs if since is None else qs.filter(updated_at__gt=since)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _public(a: Announcement) -> dict[str, dict[str, Any]]:
    """The round and assignment as the public may know them: the announcement's own dates stand in
    for every date the node's copy must hold."""
    start, end = a.period_start, a.period_end
    round_ = a.assignment.round
    return {
        "rounds": {"pk": round_.pk, "committee_id": round_.committee_id, "year": round_.year, "seq_no": round_.seq_no,
                   "name": round_.name, "start_date": start, "end_date": end},
        "assignments": {"pk": a.assignment_id, "round_id": round_.pk, "organization_id": a.assignment.organization_id,
                        "inspection_type": a.assignment.inspection_type, "planned_entry": start, "onsite_end": end,
                        "petition_cutoff": a.cutoff, "notice_due": start, "report_due": end, "feedback_due": end,
                        "rect_plan_due": end, "rect_report_due": end},
    }  # fmt: skip


def published_rows(announcements: QuerySet[Announcement]) -> dict[str, list[dict[str, Any]]]:
    """The copies the node needs for `announcements`: each with the committees of its round and of its
    organisation (and those above them), the organisation, the round and the assignment."""
    committees = {c.pk: c for c in Committee.objects.all()}  # few: the chains are walked in memory
    chosen: dict[str, dict[int, dict[str, Any]]] = {key: {} for key, _, _ in PUBLISHED}
    for a in announcements:
        org = a.assignment.organization
        for start in (a.assignment.round.committee_id, org.managed_by_id):
            pk: int | None = start
            while pk is not None and pk not in chosen["committees"]:
                c = committees[pk]
                chosen["committees"][pk] = {"pk": pk, **{f: getattr(c, f) for f in PUBLISHED[0][2]}}
                pk = c.parent_id
        chosen["organizations"][org.pk] = {"pk": org.pk, **{f: getattr(org, f) for f in PUBLISHED[1][2]}}
        for key, row in _public(a).items():
            chosen[key][row["pk"]] = row
        chosen["announcements"][a.pk] = {"pk": a.pk, **{f: getattr(a, f) for f in ANNOUNCEMENT_FIELDS}}
    out = {}
    for key, _, _ in PUBLISHED:
        # Committees from the top down, so each parent is there before its children.
        order = (lambda r: committees[r["pk"]].path) if key == "committees" else (lambda r: r["pk"])
        out[key] = [{k: _iso(v) for k, v in row.items()} for row in sorted(chosen[key].values(), key=order)]
    return out


def publication_apply(rows: dict[str, list[dict[str, Any]]]) -> int:
    """On the intake node: create or update the copies, in dependency order; the announcements applied.
    Nothing is written if any copy does not fit (a clash, a reference to a row not sent)."""
    try:
        with transaction.atomic():
            for key, model, fields in PUBLISHED:
                for row in rows.get(key, []):
                    obj, _ = model.objects.update_or_create(pk=row["pk"], defaults={f: row[f] for f in fields})
                    if isinstance(obj, Committee | Organization):
                        parent = obj.parent if isinstance(obj, Committee) else None
                        obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
                        obj.save(update_fields=["path"])
            # Foreign keys are checked at commit; check them here, where a refusal can still say why.
            connection.check_constraints(table_names=[model._meta.db_table for _, model, _ in PUBLISHED])
    except IntegrityError as exc:
        raise ValidationError(
            "回传数据包中的公告与本节点已有的数据冲突或缺少所依据的数据，已拒绝导入：本节点的公告只能来自内网发布。"
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError("回传数据包中的公告内容格式不正确，已拒绝导入。") from exc
    return len(rows.get("announcements", []))
