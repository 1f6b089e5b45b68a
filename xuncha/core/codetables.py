"""Versioned code tables (category frameworks and vocabularies): read per committee, version, override.

The tables themselves are national (全国统一) and versioned only from the top. A table marked
`local_overrides_allowed` may be relabelled or extended by a committee for itself and those below
it (`CodeItemOverride`); reads for a committee resolve the nearest override up its path (ADR 0016).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import CodeItem, CodeItemOverride, CodeTable, Committee
from xuncha.core.permissions import config_write_check
from xuncha.core.workdays import committee_chain


@dataclass(frozen=True)
class ResolvedCode:
    """One code as a committee sees it, and where its label comes from."""

    code: str
    label: str
    active: bool
    national_label: str  # "" for a local item
    owner: Committee | None  # the committee whose override gives the label (None: national)


def code_table_current(key: str) -> CodeTable:
    """The current version of a code table."""
    return CodeTable.objects.get(key=key, is_current=True)


def code_items(key: str, *, version: int | None = None) -> QuerySet[CodeItem]:
    """The active items of a code table (current version unless one is named)."""
    table = code_table_current(key) if version is None else CodeTable.objects.get(key=key, version=version)
    return table.items.filter(is_active=True).order_by("sort_order", "code")


def code_label(key: str, code: str) -> str:
    """The Chinese label of a code in the current version (the code itself when unknown)."""
    item = CodeItem.objects.filter(table__key=key, table__is_current=True, code=code).first()
    return item.label if item else code


def code_resolved(key: str, *, committee: Committee | None) -> list[ResolvedCode]:
    """Every code of the current table as `committee` sees it (withdrawn ones included, flagged)."""
    table = code_table_current(key)
    result: dict[str, ResolvedCode] = {}
    order: dict[str, tuple[int, int]] = {}
    for item in table.items.order_by("sort_order", "code"):
        result[item.code] = ResolvedCode(item.code, item.label, item.is_active, item.label, None)
        order[item.code] = (0, item.sort_order)
    chain = committee_chain(committee) if table.local_overrides_allowed else []
    overrides = CodeItemOverride.objects.filter(table_key=key, committee_id__in=chain).select_related("committee")
    # Topmost first, so a nearer committee's override replaces a farther one's.
    for o in sorted(overrides, key=lambda o: chain.index(o.committee_id)):
        national = result[o.code].national_label if o.code in result else ""
        result[o.code] = ResolvedCode(o.code, o.label, o.is_active, national, o.committee)
        order.setdefault(o.code, (1, o.sort_order))
    return sorted(result.values(), key=lambda r: (order[r.code], r.code))


def code_choices(key: str, *, committee: Committee | None) -> list[tuple[str, str]]:
    """The active (code, label) pairs of a table as `committee` sees it."""
    return [(r.code, r.label) for r in code_resolved(key, committee=committee) if r.active]


def parse_items(text: str) -> list[tuple[str, str]]:
    """Parse one item per line as "代码 名称" (a space, a tab or a comma between them)."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for sep in ("\t", ",", "，", " "):
            if sep in line:
                code, label = (part.strip() for part in line.split(sep, 1))
                break
        else:
            raise ValidationError(f"第 {number} 行：应为“代码 名称”，缺少名称。")
        if not code.replace("_", "").isalnum() or not code.isascii():
            raise ValidationError(f"第 {number} 行：代码“{code}”只能由英文字母、数字和下划线组成。")
        if code in seen:
            raise ValidationError(f"第 {number} 行：代码“{code}”重复。")
        if not label:
            raise ValidationError(f"第 {number} 行：名称不能为空。")
        seen.add(code)
        items.append((code, label))
    if not items:
        raise ValidationError("至少需要一个代码项。")
    return items


@transaction.atomic
def code_table_new_version(
    *, actor: Actor, key: str, items: list[tuple[str, str]], name: str | None = None
) -> CodeTable:
    """Create the next national version of a code table with `items` and make it current (only from the top)."""
    config_write_check(actor, None)
    current = CodeTable.objects.select_for_update().get(key=key, is_current=True)
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    table = CodeTable.objects.create(
        key=key,
        version=current.version + 1,
        name=name or current.name,
        description=current.description,
        local_overrides_allowed=current.local_overrides_allowed,
        is_current=True,
        created_by=account_of(actor),
    )
    CodeItem.objects.bulk_create(
        CodeItem(table=table, code=code, label=label, sort_order=i, created_by=account_of(actor))
        for i, (code, label) in enumerate(items, start=1)
    )
    audit_record(
        action="config.code_table_version",
        actor=actor,
        target=table,
        summary=f"代码表“{table.name}”启用第 {table.version} 版",
        data={"key": key, "version": table.version, "items": len(items)},
    )
    return table


def _local_table(key: str, committee: Committee) -> CodeTable:
    table = code_table_current(key)
    if not table.local_overrides_allowed:
        raise PermissionDenied(f"“{table.name}”为全国统一代码表，不能在{committee.short_name}本级修改。")
    return table


@transaction.atomic
def code_override_set(
    *, actor: Actor, committee: Committee, key: str, code: str, label: str, active: bool = True
) -> CodeItemOverride:
    """Relabel or withdraw a code, or add a local one, for `committee` and the committees below it."""
    config_write_check(actor, committee)
    table = _local_table(key, committee)
    code, label = code.strip(), label.strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise ValidationError(f"代码“{code}”只能由英文字母、数字和下划线组成。")
    if not label:
        raise ValidationError("名称不能为空。")
    position = table.items.count() + CodeItemOverride.objects.filter(committee=committee, table_key=key).count()
    row, created = CodeItemOverride.objects.update_or_create(
        committee=committee,
        table_key=key,
        code=code,
        defaults={"label": label, "is_active": active, "created_by": account_of(actor)},
    )
    if created:
        row.sort_order = position + 1
        row.save(update_fields=["sort_order"])
    audit_record(
        action="config.code_override_set",
        actor=actor,
        target=row,
        committee_id=committee.pk,
        summary=f"{committee.short_name}本级代码表“{table.name}”：{code} {label}{'' if active else '（停用）'}",
        data={"key": key, "code": code, "label": label, "active": active, "created": created},
    )
    return row


@transaction.atomic
def code_override_delete(*, actor: Actor, committee: Committee, key: str, code: str) -> None:
    """Remove `committee`'s own setting of a code, so it inherits again."""
    config_write_check(actor, committee)
    deleted, _ = CodeItemOverride.objects.filter(committee=committee, table_key=key, code=code).delete()
    if deleted:
        audit_record(
            action="config.code_override_delete",
            actor=actor,
            object_type="core.codeitemoverride",
            object_id=f"{key}:{code}",
            committee_id=committee.pk,
            summary=f"{committee.short_name}本级代码表“{key}”：{code} 恢复继承",
            data={"key": key, "code": code},
        )
