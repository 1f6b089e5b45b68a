"""The queue as an .xlsx file: no reporter identity ever, a watermark naming who exported it when, and every
cell text (xuncha.core.spreadsheets: a reporter's "=…" is never a formula)."""

from typing import Any

from django.utils import timezone

from xuncha.core.spreadsheets import WorkbookWriter
from xuncha.petitions.selectors import Row

HEADER = ["编号", "巡察任务", "来源渠道", "收到时间", "状态", "处置方式", "反映人", "被反映人", "摘要"]


def watermark(user: Any) -> str:
    name = user.full_name or user.username
    return f"导出人：{name}　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}　仅限巡察工作使用，不得外传"


def petitions_xlsx(rows: list[Row], user: Any) -> bytes:
    """One sheet: the watermark line, the header, a row per petition (reporters only as 匿名/实名)."""
    stamp = watermark(user)
    workbook = WorkbookWriter(creator=stamp)
    sheet = workbook.sheet("信访件")
    sheet.append([stamp])
    sheet.append(HEADER)
    for r in rows:
        p = r.petition
        received = f"{timezone.localtime(p.received_at):%Y-%m-%d %H:%M}"
        reporter = "匿名" if p.anonymous else "实名（不导出）"
        sheet.append(
            [p.number, p.assignment.organization.name, p.get_channel_display(), received,
             p.get_status_display(), p.get_disposition_display(), reporter, r.subject, r.summary]
        )  # fmt: skip
    return workbook.save()
