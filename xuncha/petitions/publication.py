"""Publishing announcements to the intake node: the public facts its pages show, and nothing else.

The intake node has no planning of its own: each announcement it serves — and the committee, the
organisation, the round and the assignment it hangs on — is a copy of the internal side's, under
the same primary keys, carrying only the fields the public pages and the intake need (names, dates,
channels, the published sentences). Teams, people, rosters and plans never leave the internal side.
The copies travel in the signed return bundle (replies.py) and are applied in dependency order;
a copy that collides with a different row already on the node refuses the whole file.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from xuncha.core.models import Committee
from xuncha.orgs.models import Organization
from xuncha.petitions.models import Announcement
from xuncha.planning.models import Assignment, Round

ASSIGNMENT_FIELDS = (
    "round_id", "organization_id", "inspection_type", "flags", "state", "planned_entry", "planned_end", "notice_due",
    "onsite_end", "petition_cutoff", "report_due", "feedback_due", "rect_plan_due", "rect_report_due", "entered_on",
    "onsite_closed_on",
)  # fmt: skip
ANNOUNCEMENT_FIELDS = (
    "assignment_id", "token", "issuer", "hotline", "po_box", "email", "address", "supervision_phone", "reception_hours",
    "period_start", "period_end", "cutoff", "scope_text", "referral_text",
)  # fmt: skip
# What of each row the intake node holds, in the order they must be created.
PUBLISHED: list[tuple[str, Any, tuple[str, ...]]] = [
    ("committees", Committee, ("name", "short_name", "level", "office_name", "parent_id")),
    ("organizations", Organization, ("org_code", "name", "short_name", "level", "party_org_type", "managed_by_id")),
    ("rounds", Round, ("committee_id", "year", "seq_no", "name", "framework", "start_date", "end_date", "status")),
    ("assignments", Assignment, ASSIGNMENT_FIELDS),
    ("announcements", Announcement, ANNOUNCEMENT_FIELDS),
]


def announcements_changed(since: datetime | None) -> QuerySet[Announcement]:
    qs = Announcement.objects.select_related("assignment__round__committee", "assignment__organization")
    return qs if since is None else qs.filter(updated_at__gt=since)


def _row(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    row = {"pk": obj.pk}
    for name in fields:
        value = getattr(obj, name)
        row[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def published_rows(announcements: QuerySet[Announcement]) -> dict[str, list[dict[str, Any]]]:
    """The copies the node needs for `announcements`: each with its committee (and those above it),
    organisation, round and assignment."""
    chosen: dict[str, dict[int, models.Model]] = {key: {} for key, _, _ in PUBLISHED}
    for a in announcements:
        committee: Committee | None = a.assignment.round.committee
        while committee is not None:
            chosen["committees"][committee.pk] = committee
            committee = committee.parent
        chosen["organizations"][a.assignment.organization_id] = a.assignment.organization
        chosen["rounds"][a.assignment.round_id] = a.assignment.round
        chosen["assignments"][a.assignment_id] = a.assignment
        chosen["announcements"][a.pk] = a
    out = {}
    for key, _, fields in PUBLISHED:
        rows = sorted(chosen[key].values(), key=lambda o: (getattr(o, "path", ""), o.pk))
        out[key] = [_row(obj, fields) for obj in rows]
    return out


def publication_apply(rows: dict[str, list[dict[str, Any]]]) -> int:
    """On the intake node: create or update the copies, in dependency order; the announcements applied."""
    try:
        with transaction.atomic():
            for key, model, fields in PUBLISHED:
                for row in rows.get(key, []):
                    values = {name: row[name] for name in fields}
                    obj, _ = model.objects.update_or_create(pk=row["pk"], defaults=values)
                    if isinstance(obj, Committee | Organization):
                        parent = getattr(obj, "parent", None) if isinstance(obj, Committee) else None
                        obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
                        obj.save(update_fields=["path"])
    except IntegrityError as exc:
        raise ValidationError(
            "回传数据包中的公告与本节点已有的数据冲突，已拒绝导入：本节点的公告只能来自内网发布。"
        ) from exc
    except KeyError as exc:
        raise ValidationError("回传数据包中的公告内容格式不正确，已拒绝导入。") from exc
    return len(rows.get("announcements", []))
