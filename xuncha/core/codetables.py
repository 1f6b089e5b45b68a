"""Versioned code tables (category frameworks and vocabularies): read and version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from xuncha.core.actors import account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import CodeItem, CodeTable


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
def code_table_new_version(*, actor: Any, key: str, items: list[tuple[str, str]], name: str | None = None) -> CodeTable:
    """Create the next version of a code table with `items` and make it current."""
    current = CodeTable.objects.select_for_update().get(key=key, is_current=True)
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    table = CodeTable.objects.create(
        key=key,
        version=current.version + 1,
        name=name or current.name,
        description=current.description,
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
