"""Excel import of organisations and leadership rosters.

Every row is validated before anything is written; one bad cell rejects the whole file
with the row and column named in Chinese. Rows are keyed by 单位编码 / 人员编号 and the
post's (person, unit, title, start date), so importing the same file twice adds nothing.
"""

import re
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from xuncha.core.actors import Actor
from xuncha.core.audit import audit_record
from xuncha.core.codetables import code_choices
from xuncha.core.models import Committee
from xuncha.core.permissions import committees_visible
from xuncha.core.roles import OFFICE_ROLES
from xuncha.core.spreadsheets import WorkbookWriter
from xuncha.orgs.choices import Gender, OrgLevel, PartyOrgType, PostKind, Rank
from xuncha.orgs.import_rows import (
    CellError,
    Column,
    ImportRejected,
    ImportReport,
    Row,
    choice,
    max_length,
    optional_date,
    read_rows,
    shown,
    text,
)
from xuncha.orgs.models import Organization, Person, Position
from xuncha.orgs.permissions import person_editable, registry_write_check
from xuncha.orgs.services import organization_save, person_save, position_save

__all__ = ["ORG_COLUMNS", "ROSTER_COLUMNS", "ImportRejected", "ImportReport", "organization_import", "roster_import"]

MAX_DEPTH = 30  # levels of units below one another: real trees have fewer than ten

ORG_COLUMNS = [
    Column("单位编码", "org_code", True, "CS-SYJT", max_length(Organization, "org_code")),
    Column("单位名称", "name", True, "长沙市水业集团有限公司", max_length(Organization, "name")),
    Column("简称", "short_name", False, "市水业集团", max_length(Organization, "short_name")),
    Column("上级单位编码", "parent_code", False, "CS", max_length(Organization, "org_code")),
    Column("层级", "level", True, "国有企业"),
    Column("党组织类型", "party_org_type", True, "党委"),
    Column("行业标签", "sector_tags", False, "国有企业、水务公用事业"),
    Column("管理党委", "committee", True, "中共长沙市委", max_length(Committee, "name")),
]

ROSTER_COLUMNS = [
    Column("人员编号", "person_code", True, "P0001", max_length(Person, "person_code")),
    Column("姓名", "name", True, "张三", max_length(Person, "name")),
    Column("性别", "gender", False, "男"),
    Column("出生年月", "birth_date", False, "1975-06", 20),
    Column("民族", "ethnicity", False, "汉族", max_length(Person, "ethnicity")),
    Column("政治面貌", "political_status", False, "中共党员", max_length(Person, "political_status")),
    Column("单位编码", "org_code", True, "CS-SYJT", max_length(Organization, "org_code")),
    Column("职务", "title", True, "党委书记、董事长", max_length(Position, "title")),
    Column("岗位类别", "post_kind", True, "主要负责人"),
    Column("职级", "rank", False, "县处级"),
    Column("任职开始", "start_date", True, "2021-03", 20),
    Column("任职结束", "end_date", False, "", 20),
]


def organization_import(*, actor: Actor, file: IO[bytes]) -> ImportReport:
    """Import organisations; nothing is stored unless every row is valid."""
    registry_write_check(actor)
    report = ImportReport()
    rows = read_rows(file, ORG_COLUMNS, report)
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
        code = text(v["org_code"])
        if code in in_file:
            report.errors.append(row.error("org_code", f"单位编码“{code}”与第 {in_file[code].number} 行重复"))
            continue
        in_file[code] = row
        item: dict[str, Any] = {"org_code": code, "name": text(v["name"]), "short_name": text(v.get("short_name"))}
        item["level"] = choice(v["level"], OrgLevel)
        if item["level"] is None:
            report.errors.append(
                row.error("level", f"“{shown(v['level'])}”不是有效层级，可填：{'、'.join(OrgLevel.labels)}")
            )
        item["party_org_type"] = choice(v["party_org_type"], PartyOrgType)
        if item["party_org_type"] is None:
            report.errors.append(
                row.error(
                    "party_org_type",
                    f"“{shown(v['party_org_type'])}”不是有效党组织类型，可填：{'、'.join(PartyOrgType.labels)}",
                )
            )
        committee = committees.get(text(v["committee"]))
        if committee is None:
            report.errors.append(row.error("committee", f"“{shown(v['committee'])}”不是您有权维护的派出党委"))
        item["managed_by"] = committee
        item["sector_tags"] = []
        for label in re.split(r"[、,，;；\s]+", text(v.get("sector_tags"))):
            if not label:
                continue
            if label not in tags(committee):
                report.errors.append(row.error("sector_tags", f"“{label}”不是已登记的行业标签"))
            else:
                item["sector_tags"].append(tags(committee)[label])
        item["parent_code"] = text(v.get("parent_code"))
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
    order = _parents_first(parsed, in_file, existing, report)
    if report.errors:
        return report
    current: Row | None = None
    try:
        with transaction.atomic():
            saved: dict[str, Organization] = {}
            for code in order:
                current, item = in_file[code], parsed[code]
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
    except (ValidationError, DatabaseError) as exc:
        _refused_while_saving(report, current, exc)
    return report


def _parents_first(
    parsed: dict[str, dict[str, Any]], in_file: dict[str, Row], existing: dict[str, Organization], report: ImportReport
) -> list[str]:
    """Order codes so that a parent in the same file is saved before its children; report cycles and depth.

    Iterative, and each unit is walked once: a file of 20,000 units each under the previous one is
    reported at once, not by a recursion 20,000 deep.
    """
    order: list[str] = []
    depth: dict[str, int] = {}

    def parent_in_file(code: str) -> str | None:
        parent = parsed[code]["parent_code"]
        return parent if parent in parsed and parent != code else None

    for start in parsed:
        trail: list[str] = []
        on_trail: set[str] = set()
        code: str | None = start
        while code is not None and code not in depth and code not in on_trail:
            trail.append(code)
            on_trail.add(code)
            code = parent_in_file(code)
        if code is not None and code in on_trail:
            cycle = trail[trail.index(code) :]
            named = cycle if len(cycle) <= 8 else [*cycle[:4], "…", *cycle[-3:]]
            report.errors.append(in_file[code].error("parent_code", f"上级关系形成循环：{' → '.join([*named, code])}"))
            base = 0
        elif code is not None:
            base = depth[code]
        else:
            top = parsed[trail[-1]]["parent_code"] if trail else ""
            base = existing[top].path.count("/") - 1 if top in existing else 0
        for code in reversed(trail):
            base += 1
            depth[code] = base
            order.append(code)
            if base > MAX_DEPTH:
                report.errors.append(
                    in_file[code].error("parent_code", f"上下级单位嵌套超过 {MAX_DEPTH} 级，请检查上级单位编码")
                )
    return order


def _one_top_leader(rows: list[Row], parsed: list[dict[str, Any]], report: ImportReport) -> None:
    """Two people as 主要负责人 of one unit at the same time: an error in the file, a warning against the registry.

    The 一把手 is one person (a petition naming "一把手" is routed to them); a second one written in the
    same file is a mistake to correct, one already registered may simply not have been closed yet.
    """
    by_unit: dict[int, list[tuple[date, date, Row, dict[str, Any]]]] = {}
    for row, item in zip(rows, parsed, strict=True):
        if item["post_kind"] == PostKind.TOP_LEADER and item["organization"] and item["start_date"]:
            span = (item["start_date"], item["end_date"] or date.max, row, item)
            by_unit.setdefault(item["organization"].pk, []).append(span)
    for spans in by_unit.values():
        spans.sort(key=lambda s: (s[0], s[2].number))
        holder = spans[0]
        for span in spans[1:]:
            start, end, row, item = span
            if start <= holder[1] and item["person_code"] != holder[3]["person_code"]:
                report.errors.append(
                    row.error(
                        "post_kind",
                        f"单位“{item['organization'].org_code}”在第 {holder[2].number} 行已有主要负责人"
                        f"“{holder[3]['name']}”，任职时间重叠；同一时间只能有一名主要负责人（一把手），"
                        "其他人请填“领导班子成员”",
                    )
                )
            if end > holder[1]:
                holder = span
    if report.errors or not by_unit:
        return
    in_file = {(i["person_code"], i["organization"].pk, i["title"], i["start_date"]) for i in parsed}
    registered = Position.objects.filter(organization_id__in=by_unit, post_kind=PostKind.TOP_LEADER).select_related(
        "person", "organization"
    )
    for post in registered:
        key = (post.person.person_code, post.organization_id, post.title, post.start_date)
        post_end = post.end_date or date.max
        for start, end, row, item in by_unit[post.organization_id]:
            if key not in in_file and item["person_code"] != key[0] and start <= post_end and post.start_date <= end:
                report.warnings.append(
                    row.error(
                        "post_kind",
                        f"单位“{post.organization.org_code}”已登记的主要负责人“{post.person.name}”"
                        f"（{post.start_date:%Y-%m} 起）任职时间与本行重叠；如已离任，请在名册中填写其任职结束",
                    )
                )
                break


def _refused_while_saving(report: ImportReport, row: Row | None, exc: ValidationError | DatabaseError) -> None:
    """A row the database or a model check refused after the file's checks: the whole import is undone."""
    reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else "数据库拒绝保存该行"
    report.created = report.updated = report.unchanged = 0
    report.errors.append(CellError(row.number if row else 2, "", "", f"{reason}（整份文件未导入）"))


POST_ALIASES = {
    "一把手": PostKind.TOP_LEADER,
    "主要负责人": PostKind.TOP_LEADER,
    "班子成员": PostKind.LEADERSHIP_MEMBER,
}


def roster_import(*, actor: Actor, file: IO[bytes]) -> ImportReport:
    """Import people and their posts; nothing is stored unless every row is valid."""
    registry_write_check(actor)
    report = ImportReport()
    rows = read_rows(file, ROSTER_COLUMNS, report)
    if not rows:
        return report
    editable = committees_visible(actor, OFFICE_ROLES)
    orgs = {
        o.org_code: o
        for o in Organization.objects.filter(
            org_code__in={text(r.values["org_code"]) for r in rows}, managed_by__in=editable
        ).select_related("managed_by")
    }
    people: dict[str, tuple[int, str]] = {}
    parsed: list[dict[str, Any]] = []
    seen_posts: dict[tuple[str, str, str, date], int] = {}
    for row in rows:
        v = row.values
        item: dict[str, Any] = {
            "person_code": text(v["person_code"]),
            "name": text(v["name"]),
            "title": text(v["title"]),
        }
        first = people.setdefault(item["person_code"], (row.number, item["name"]))
        if first[1] != item["name"]:
            report.errors.append(
                row.error("name", f"人员编号“{item['person_code']}”在第 {first[0]} 行的姓名是“{first[1]}”，两处不一致")
            )
        item["gender"] = ""
        if v.get("gender") not in (None, ""):
            item["gender"] = choice(v["gender"], Gender)
            if item["gender"] is None:
                report.errors.append(row.error("gender", "性别应填“男”或“女”"))
        item["birth_date"] = optional_date(row, "birth_date", report)
        item["ethnicity"] = text(v.get("ethnicity"))
        item["political_status"] = text(v.get("political_status"))
        item["organization"] = orgs.get(text(v["org_code"]))
        if item["organization"] is None:
            report.errors.append(
                row.error("org_code", f"找不到编码为“{shown(v['org_code'])}”的单位，或该单位不归您维护")
            )
        item["post_kind"] = choice(v["post_kind"], PostKind, POST_ALIASES)
        if item["post_kind"] is None:
            report.errors.append(
                row.error(
                    "post_kind",
                    f"“{shown(v['post_kind'])}”不是有效岗位类别，可填：主要负责人、领导班子成员、重要岗位、一般干部",
                )
            )
        item["rank"] = ""
        if v.get("rank") not in (None, ""):
            item["rank"] = choice(v["rank"], Rank)
            if item["rank"] is None:
                report.errors.append(
                    row.error("rank", f"“{shown(v['rank'])}”不是有效职级，可填：{'、'.join(Rank.labels)}")
                )
        item["start_date"] = optional_date(row, "start_date", report)
        item["end_date"] = optional_date(row, "end_date", report)
        if item["start_date"] and item["end_date"] and item["end_date"] < item["start_date"]:
            report.errors.append(row.error("end_date", "任职结束不能早于任职开始"))
        if item["start_date"]:
            key = (item["person_code"], text(v["org_code"]), item["title"], item["start_date"])
            if key in seen_posts:
                report.errors.append(row.error("title", f"与第 {seen_posts[key]} 行是同一任职记录"))
            seen_posts.setdefault(key, row.number)
        parsed.append(item)
    _one_top_leader(rows, parsed, report)
    if report.errors:
        return report
    current: Row | None = None
    try:
        with transaction.atomic():
            for row, item in zip(rows, parsed, strict=True):
                current = row
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
    except (ValidationError, DatabaseError) as exc:
        _refused_while_saving(report, current, exc)
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
