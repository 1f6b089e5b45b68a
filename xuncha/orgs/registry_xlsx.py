"""Excel import of organisations and leadership rosters.

Every row is validated before anything is written; one bad cell rejects the whole file
with the row and column named in Chinese. Rows are keyed by 单位编码 / 人员编号 and the
post's (person, unit, title, start date), so importing the same file twice adds nothing.
"""

import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from xuncha.core.actors import Actor
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_choices
from xuncha.core.permissions import committees_visible
from xuncha.core.roles import OFFICE_ROLES
from xuncha.core.spreadsheets import WorkbookWriter
from xuncha.orgs.choices import Gender, OrgLevel, PartyOrgType, PostKind, Rank
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.permissions import person_editable, registry_write_check
from xuncha.orgs.services import organization_save, person_save, position_save

MAX_ROWS = 20000


@dataclass(frozen=True)
class Column:
    """One expected column: its Chinese header, the key used in code, and whether it is required."""

    header: str
    key: str
    required: bool = False
    example: str = ""


ORG_COLUMNS = [
    Column("单位编码", "org_code", True, "CS-SYJT"),
    Column("单位名称", "name", True, "长沙市水业集团有限公司"),
    Column("简称", "short_name", False, "市水业集团"),
    Column("上级单位编码", "parent_code", False, "CS"),
    Column("层级", "level", True, "国有企业"),
    Column("党组织类型", "party_org_type", True, "党委"),
    Column("行业标签", "sector_tags", False, "国有企业、水务公用事业"),
    Column("管理党委", "committee", True, "中共长沙市委"),
]

ROSTER_COLUMNS = [
    Column("人员编号", "person_code", True, "P0001"),
    Column("姓名", "name", True, "张三"),
    Column("性别", "gender", False, "男"),
    Column("出生年月", "birth_date", False, "1975-06"),
    Column("民族", "ethnicity", False, "汉族"),
    Column("政治面貌", "political_status", False, "中共党员"),
    Column("单位编码", "org_code", True, "CS-SYJT"),
    Column("职务", "title", True, "党委书记、董事长"),
    Column("岗位类别", "post_kind", True, "主要负责人"),
    Column("职级", "rank", False, "县处级"),
    Column("任职开始", "start_date", True, "2021-03"),
    Column("任职结束", "end_date", False, ""),
]


@dataclass(frozen=True)
class CellError:
    """A problem in one cell (row 1 is the header row)."""

    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return f"第 {self.row} 行：{self.message}"
        return f"第 {self.row} 行 {self.column} 列（{self.header}）：{self.message}"


class CellErrors(list[CellError]):
    """Errors, at most one per cell: the first problem found in a cell is the one reported."""

    def append(self, error: CellError) -> None:
        if error.column and any(e.row == error.row and e.column == error.column for e in self):
            return
        super().append(error)


@dataclass
class ImportReport:
    """What an import did, or why it stored nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=CellErrors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class ImportRejected(Exception):
    """The file as a whole cannot be read."""


@dataclass
class Row:
    """One data row: values by key, and where each came from."""

    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    headers: dict[str, str]

    def error(self, key: str, message: str) -> CellError:
        return CellError(self.number, self.letters.get(key, ""), self.headers.get(key, ""), message)


def _read_rows(file: IO[bytes], columns: list[Column], report: ImportReport) -> list[Row]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise ImportRejected("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    positions: dict[str, int] = {}
    for index, value in enumerate(header_row):
        text = str(value).strip().rstrip("*＊") if value is not None else ""
        for column in columns:
            if text == column.header and column.key not in positions:
                positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            report.errors.append(CellError(1, "", column.header, f"缺少必填列“{column.header}”"))
    if report.errors:
        return []
    letters = {key: get_column_letter(i + 1) for key, i in positions.items()}
    headers = {c.key: c.header for c in columns}
    result: list[Row] = []
    for number, raw in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRejected(f"文件超过 {MAX_ROWS} 行，请分批导入。")
        values = {key: (raw[i] if i < len(raw) else None) for key, i in positions.items()}
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        result.append(Row(number, values, letters, headers))
        for column in columns:
            if column.required and values.get(column.key) in (None, ""):
                report.errors.append(result[-1].error(column.key, "不能为空"))
    workbook.close()
    if not result and not report.errors:
        report.errors.append(CellError(2, "", "", "文件中没有数据行"))
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice(value: Any, choices: type[Any], aliases: Mapping[str, str] | None = None) -> str | None:
    text = _text(value)
    lookup = {label: code for code, label in choices.choices} | {code: code for code in choices.values}
    lookup |= aliases or {}
    return lookup.get(text)


DATE_PATTERN = re.compile(r"^(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?$")


def _date(value: Any) -> date | None:
    """Dates as Excel dates, or text like 2021-03, 2021.03.15, 2021年3月."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(_text(value))
    if not match:
        raise ValueError
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return date(year, month, day)


def _optional_date(row: Row, key: str, report: ImportReport) -> date | None:
    if row.values.get(key) in (None, ""):
        return None
    try:
        return _date(row.values[key])
    except ValueError:
        report.errors.append(row.error(key, f"“{_text(row.values[key])}”不是有效日期，应写作 2021-03 或 2021-03-15"))
        return None


def organization_import(*, actor: Actor, file: IO[bytes]) -> ImportReport:
    """Import organisations; nothing is stored unless every row is valid."""
    registry_write_check(actor)
    report = ImportReport()
    rows = _read_rows(file, ORG_COLUMNS, report)
    if not rows:
        return report
    committees = {}
    for c in committees_visible(actor, OFFICE_ROLES):
        committees[c.name] = committees[c.short_name] = c
    tags_of: dict[int, dict[str, str]] = {}  # per managing committee: label or code → code

    def tags(committee: Any) -> dict[str, str]:
        key = committee.pk if committee is not None else 0
        if key not in tags_of:
            pairs = code_choices("sector_tags", committee=committee)
            tags_of[key] = {label: code for code, label in pairs} | {code: code for code, _ in pairs}
        return tags_of[key]

    in_file: dict[str, Row] = {}
    parsed: dict[str, dict[str, Any]] = {}
    for row in rows:
        v = row.values
        code = _text(v["org_code"])
        if code in in_file:
            report.errors.append(row.error("org_code", f"单位编码“{code}”与第 {in_file[code].number} 行重复"))
            continue
        in_file[code] = row
        item: dict[str, Any] = {"org_code": code, "name": _text(v["name"]), "short_name": _text(v.get("short_name"))}
        item["level"] = _choice(v["level"], OrgLevel)
        if item["level"] is None:
            report.errors.append(
                row.error("level", f"“{_text(v['level'])}”不是有效层级，可填：{'、'.join(OrgLevel.labels)}")
            )
        item["party_org_type"] = _choice(v["party_org_type"], PartyOrgType)
        if item["party_org_type"] is None:
            report.errors.append(
                row.error(
                    "party_org_type",
                    f"“{_text(v['party_org_type'])}”不是有效党组织类型，可填：{'、'.join(PartyOrgType.labels)}",
                )
            )
        committee = committees.get(_text(v["committee"]))
        if committee is None:
            report.errors.append(row.error("committee", f"“{_text(v['committee'])}”不是您有权维护的派出党委"))
        item["managed_by"] = committee
        item["sector_tags"] = []
        for label in re.split(r"[、,，;；\s]+", _text(v.get("sector_tags"))):
            if not label:
                continue
            if label not in tags(committee):
                report.errors.append(row.error("sector_tags", f"“{label}”不是已登记的行业标签"))
            else:
                item["sector_tags"].append(tags(committee)[label])
        item["parent_code"] = _text(v.get("parent_code"))
        parsed[code] = item
    existing = {
        o.org_code: o
        for o in Organization.objects.filter(
            org_code__in=[p["parent_code"] for p in parsed.values() if p["parent_code"]] + list(parsed)
        ).select_related("managed_by")
    }
    editable_ids = {c.pk for c in committees.values()}
    for code, item in parsed.items():
        row = in_file[code]
        parent_code = item["parent_code"]
        if parent_code and parent_code not in parsed and parent_code not in existing:
            report.errors.append(row.error("parent_code", f"找不到编码为“{parent_code}”的单位"))
        if parent_code == code:
            report.errors.append(row.error("parent_code", "上级单位不能是本单位"))
        if code in existing and existing[code].managed_by_id not in editable_ids:
            report.errors.append(row.error("org_code", f"单位“{code}”由其他党委管理，您无权修改"))
    order = _parents_first(parsed, in_file, report)
    if report.errors:
        return report
    with transaction.atomic():
        saved: dict[str, Organization] = {}
        for code in order:
            item = parsed[code]
            parent = saved.get(item["parent_code"]) or existing.get(item["parent_code"])
            org, outcome = organization_save(
                actor=actor,
                org_code=code,
                name=item["name"],
                short_name=item["short_name"],
                level=item["level"],
                party_org_type=item["party_org_type"],
                managed_by=item["managed_by"],
                parent=parent,
                sector_tags=item["sector_tags"],
                audit=False,
            )
            saved[code] = org
            report.count(outcome)
        audit_record(
            action="orgs.import_organizations",
            actor=actor,
            summary=f"导入组织机构：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}",
            data={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report


def _parents_first(parsed: dict[str, dict[str, Any]], in_file: dict[str, Row], report: ImportReport) -> list[str]:
    """Order codes so that a parent in the same file is saved before its children; report cycles."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            row = in_file[code]
            report.errors.append(row.error("parent_code", f"上级关系形成循环：{' → '.join([*trail, code])}"))
            return
        state[code] = 1
        parent = parsed[code]["parent_code"]
        if parent in parsed and parent != code:
            visit(parent, [*trail, code])
        state[code] = 2
        order.append(code)

    for code in parsed:
        visit(code, [])
    return order


POST_ALIASES = {
    "一把手": PostKind.TOP_LEADER,
    "主要负责人": PostKind.TOP_LEADER,
    "班子成员": PostKind.LEADERSHIP_MEMBER,
}


def roster_import(*, actor: Actor, file: IO[bytes]) -> ImportReport:
    """Import people and their posts; nothing is stored unless every row is valid."""
    registry_write_check(actor)
    report = ImportReport()
    rows = _read_rows(file, ROSTER_COLUMNS, report)
    if not rows:
        return report
    editable = committees_visible(actor, OFFICE_ROLES)
    orgs = {
        o.org_code: o
        for o in Organization.objects.filter(
            org_code__in={_text(r.values["org_code"]) for r in rows}, managed_by__in=editable
        ).select_related("managed_by")
    }
    people: dict[str, tuple[int, str]] = {}
    parsed: list[dict[str, Any]] = []
    seen_posts: dict[tuple[str, str, str, date], int] = {}
    for row in rows:
        v = row.values
        item: dict[str, Any] = {
            "person_code": _text(v["person_code"]),
            "name": _text(v["name"]),
            "title": _text(v["title"]),
        }
        first = people.setdefault(item["person_code"], (row.number, item["name"]))
        if first[1] != item["name"]:
            report.errors.append(
                row.error("name", f"人员编号“{item['person_code']}”在第 {first[0]} 行的姓名是“{first[1]}”，两处不一致")
            )
        item["gender"] = ""
        if v.get("gender") not in (None, ""):
            item["gender"] = _choice(v["gender"], Gender)
            if item["gender"] is None:
                report.errors.append(row.error("gender", "性别应填“男”或“女”"))
        item["birth_date"] = _optional_date(row, "birth_date", report)
        item["ethnicity"] = _text(v.get("ethnicity"))
        item["political_status"] = _text(v.get("political_status"))
        item["organization"] = orgs.get(_text(v["org_code"]))
        if item["organization"] is None:
            report.errors.append(
                row.error("org_code", f"找不到编码为“{_text(v['org_code'])}”的单位，或该单位不归您维护")
            )
        item["post_kind"] = _choice(v["post_kind"], PostKind, POST_ALIASES)
        if item["post_kind"] is None:
            report.errors.append(
                row.error(
                    "post_kind",
                    f"“{_text(v['post_kind'])}”不是有效岗位类别，可填：主要负责人、领导班子成员、重要岗位、一般干部",
                )
            )
        item["rank"] = ""
        if v.get("rank") not in (None, ""):
            item["rank"] = _choice(v["rank"], Rank)
            if item["rank"] is None:
                report.errors.append(
                    row.error("rank", f"“{_text(v['rank'])}”不是有效职级，可填：{'、'.join(Rank.labels)}")
                )
        item["start_date"] = _optional_date(row, "start_date", report)
        item["end_date"] = _optional_date(row, "end_date", report)
        if item["start_date"] and item["end_date"] and item["end_date"] < item["start_date"]:
            report.errors.append(row.error("end_date", "任职结束不能早于任职开始"))
        if item["start_date"]:
            key = (item["person_code"], _text(v["org_code"]), item["title"], item["start_date"])
            if key in seen_posts:
                report.errors.append(row.error("title", f"与第 {seen_posts[key]} 行是同一任职记录"))
            seen_posts.setdefault(key, row.number)
        parsed.append(item)
    if report.errors:
        return report
    with transaction.atomic():
        for item in parsed:
            known = Person.objects.filter(person_code=item["person_code"]).first()
            if known is not None and not person_editable(actor, known):
                # A cadre coming from a unit another office keeps: the post is recorded here, and
                # their personal record stays as that office keeps it.
                person, person_outcome = known, "unchanged"
            else:
                person, person_outcome = person_save(
                    actor=actor,
                    person_code=item["person_code"],
                    name=item["name"],
                    gender=item["gender"],
                    birth_date=item["birth_date"],
                    ethnicity=item["ethnicity"],
                    political_status=item["political_status"],
                )
            _, outcome = position_save(
                actor=actor,
                person=person,
                organization=item["organization"],
                title=item["title"],
                post_kind=item["post_kind"],
                rank=item["rank"],
                start_date=item["start_date"],
                end_date=item["end_date"],
            )
            if outcome == "created":
                report.count("created")
            elif outcome != "unchanged" or person_outcome != "unchanged":
                report.count("updated")
            else:
                report.count("unchanged")
        audit_record(
            action="orgs.import_roster",
            actor=actor,
            summary=f"导入领导班子名册：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}",
            data={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report


def template_workbook(kind: str) -> bytes:
    """A blank import template with the headers (required ones starred), an example row and notes."""
    columns = ORG_COLUMNS if kind == "organizations" else ROSTER_COLUMNS
    workbook = WorkbookWriter()
    sheet = workbook.sheet("组织机构" if kind == "organizations" else "领导班子名册")
    sheet.append([f"{c.header}*" if c.required else c.header for c in columns])
    sheet.append([c.example for c in columns])
    for index, _column in enumerate(columns, start=1):
        sheet.width(index, 18)
    notes = workbook.sheet("填写说明")
    notes.append(["带 * 的列必须填写；第 2 行是示例，导入前请删除或改为实际数据。"])
    if kind == "organizations":
        notes.append(["层级可填：" + "、".join(OrgLevel.labels)])
        notes.append(["党组织类型可填：" + "、".join(PartyOrgType.labels)])
        notes.append(["行业标签用顿号分隔；上级单位编码可以引用本文件中的其他行。"])
    else:
        notes.append(["岗位类别可填：主要负责人、领导班子成员、重要岗位、一般干部"])
        notes.append(["职级可填：" + "、".join(Rank.labels)])
        notes.append(["日期写作 2021-03 或 2021-03-15；仍在任的任职结束留空。"])
    return workbook.save()


def iter_errors(report: ImportReport) -> Iterator[str]:
    """The errors as display lines."""
    return (str(e) for e in report.errors)
