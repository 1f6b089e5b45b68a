"""Excel import: row-by-row validation naming row and column, all-or-nothing, idempotent."""

import io
from collections.abc import Callable

from openpyxl import Workbook, load_workbook

from xuncha.orgs.models import Organization, Person, Position
from xuncha.orgs.registry_xlsx import ORG_COLUMNS, ROSTER_COLUMNS, organization_import, roster_import

ORG_HEADER = [c.header for c in ORG_COLUMNS]
ROSTER_HEADER = [c.header for c in ROSTER_COLUMNS]


def xlsx(header: list[str], rows: list[list[object]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "data.xlsx"
    return buffer


GOOD_ORGS = [
    ["YH-TMZ-C02", "跳马镇石燕湖村", "石燕湖村", "YH-TMZ", "村", "党总支", "乡村振兴与农业农村", "中共雨花区委"],
    ["YH-TMZ-C03", "跳马镇白竹村", "白竹村", "YH-TMZ", "村", "党总支", "", "雨花区委"],
    ["YH-TMZ-C03-G1", "白竹村第一村民小组", "", "YH-TMZ-C03", "村", "党支部", "", "中共雨花区委"],
]


def test_a_good_organisation_file_imports_and_reimporting_it_adds_nothing(personas: dict, orgs: dict) -> None:
    before = Organization.objects.count()
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, GOOD_ORGS))
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3
    child = Organization.objects.get(org_code="YH-TMZ-C03-G1")
    assert child.parent is not None and child.parent.org_code == "YH-TMZ-C03"
    assert child.path.startswith(orgs["tiaoma"].path)
    assert Organization.objects.get(org_code="YH-TMZ-C02").sector_tags == ["rural"]
    again = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, GOOD_ORGS))
    assert again.ok and again.created == 0 and again.unchanged == 3
    assert Organization.objects.count() == before + 3


def test_a_bad_organisation_file_names_row_and_column_and_stores_nothing(personas: dict, orgs: dict) -> None:
    rows = [
        GOOD_ORGS[0],
        ["YH-TMZ-C09", "", "", "YH-TMZ", "村", "党总支", "", "中共雨花区委"],  # row 3: no name
        ["YH-TMZ-C10", "某村", "", "NOPE", "村", "党总支", "", "中共雨花区委"],  # row 4: unknown parent
        ["YH-TMZ-C11", "某村", "", "YH-TMZ", "大队", "党总支", "", "中共雨花区委"],  # row 5: bad level
        ["YH-TMZ-C12", "某村", "", "YH-TMZ", "村", "党总支", "", "中共岳麓区委"],  # row 6: other district
        ["YH-TMZ-C02", "重复", "", "YH-TMZ", "村", "党总支", "", "中共雨花区委"],  # row 7: duplicate code
    ]
    before = Organization.objects.count()
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    messages = [str(e) for e in report.errors]
    assert not report.ok
    assert "第 3 行 B 列（单位名称）：不能为空" in messages
    assert any(m.startswith("第 4 行 D 列（上级单位编码）") and "NOPE" in m for m in messages)
    assert any(m.startswith("第 5 行 E 列（层级）") and "大队" in m for m in messages)
    assert any(m.startswith("第 6 行 H 列（管理党委）") for m in messages)
    assert any(m.startswith("第 7 行 A 列（单位编码）") and "第 2 行" in m for m in messages)
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(org_code="YH-TMZ-C02").exists()


def test_a_file_missing_a_required_column_is_rejected(personas: dict, orgs: dict) -> None:
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER[:4], [GOOD_ORGS[0][:4]]))
    assert "缺少必填列“层级”" in [e.message for e in report.errors]


def test_a_parent_cycle_in_the_file_is_reported(personas: dict, orgs: dict) -> None:
    rows = [
        ["X1", "甲", "", "X2", "村", "党支部", "", "中共雨花区委"],
        ["X2", "乙", "", "X1", "村", "党支部", "", "中共雨花区委"],
    ]
    report = organization_import(actor=personas["yuhua_office"], file=xlsx(ORG_HEADER, rows))
    assert any("循环" in e.message for e in report.errors)
    assert not Organization.objects.filter(org_code__in=["X1", "X2"]).exists()


ROSTER = [
    [
        "P1",
        "张建国",
        "男",
        "1972-05",
        "汉族",
        "中共党员",
        "YH-TMZ",
        "党委书记",
        "主要负责人",
        "乡科级",
        "2021-03",
        None,
    ],
    [
        "P2",
        "李红梅",
        "女",
        "1980.11",
        "汉族",
        "中共党员",
        "YH-TMZ",
        "党委副书记、镇长",
        "领导班子成员",
        "乡科级",
        "2022-01-15",
        None,
    ],
    [
        "P1",
        "张建国",
        "男",
        "1972-05",
        "汉族",
        "中共党员",
        "YH-TMZ-C01",
        "党总支书记",
        "主要负责人",
        "村（社区）干部",
        "2015-01",
        "2020-12",
    ],
]


def test_a_roster_imports_with_history_and_is_idempotent(personas: dict, orgs: dict) -> None:
    report = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, ROSTER))
    assert report.ok, [str(e) for e in report.errors]
    assert Person.objects.count() == 2 and Position.objects.count() == 3
    zhang = Person.objects.get(person_code="P1")
    assert zhang.positions.filter(end_date__isnull=True).get().title == "党委书记"
    again = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, ROSTER))
    assert again.ok and again.created == 0 and again.unchanged == 3
    assert Position.objects.count() == 3


def test_a_bad_roster_is_rejected_whole(personas: dict, orgs: dict) -> None:
    rows = [
        ROSTER[0],
        [
            "P2",
            "李红梅",
            "女",
            "1980-13",
            "汉族",
            "",
            "YH-TMZ",
            "副书记",
            "班子成员",
            "",
            "2022-01",
            None,
        ],  # row 3 bad birth month
        [
            "P3",
            "王五",
            "未知",
            "",
            "",
            "",
            "YL-YLJD",
            "书记",
            "主要负责人",
            "",
            "2021-01",
            "2020-01",
        ],  # row 4 gender, org scope, end<start
        ["P1", "张三", "男", "", "", "", "YH-TMZ", "委员", "领导班子成员", "", "2021-01", None],  # row 5 name mismatch
    ]
    report = roster_import(actor=personas["yuhua_office"], file=xlsx(ROSTER_HEADER, rows))
    messages = [str(e) for e in report.errors]
    assert any(m.startswith("第 3 行 D 列（出生年月）") for m in messages)
    assert any(m.startswith("第 4 行 C 列（性别）") for m in messages)
    assert any(m.startswith("第 4 行 G 列（单位编码）") for m in messages)
    assert any(m.startswith("第 4 行 L 列（任职结束）") for m in messages)
    assert any(m.startswith("第 5 行 B 列（姓名）") and "第 2 行" in m for m in messages)
    assert Person.objects.count() == 0 and Position.objects.count() == 0


def test_the_import_page_shows_errors_and_a_non_excel_file_is_refused(
    personas: dict, orgs: dict, login: Callable
) -> None:
    client = login(personas["yuhua_office"])
    bad = xlsx(ORG_HEADER, [["YH-X", "", "", "", "村", "党支部", "", "中共雨花区委"]])
    response = client.post("/orgs/import/organizations/", {"file": bad})
    body = response.content.decode()
    assert response.status_code == 400 and "第 2 行" in body and "未导入任何数据" in body
    fake = io.BytesIO(b"not a workbook")
    fake.name = "fake.xlsx"
    response = client.post("/orgs/import/organizations/", {"file": fake})
    assert response.status_code == 400 and "不是有效的 Excel" in response.content.decode()


def test_the_template_download_is_a_readable_workbook(personas: dict, login: Callable) -> None:
    response = login(personas["city_office"]).get("/orgs/import/roster/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert header[0] == "人员编号*" and "岗位类别*" in header
    assert wb.sheetnames[1] == "填写说明"


def test_both_templates_are_written_as_text_without_formulas(personas: dict, login: Callable) -> None:
    from xuncha.core.tests.test_spreadsheets import formula_free

    client = login(personas["city_office"])
    for kind, first in (("organizations", "单位编码*"), ("roster", "人员编号*")):
        response = client.get(f"/orgs/import/{kind}/template.xlsx")
        rows = formula_free(response.content)
        assert rows[0][0] == first
        wb = load_workbook(io.BytesIO(response.content))
        assert all(c.data_type == "s" for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None)
