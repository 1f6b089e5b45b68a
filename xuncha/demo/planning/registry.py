"""Units, people and pools the planning demo needs beyond the registry demo."""

from datetime import date

from faker import Faker

from xuncha.core.actors import DEMO
from xuncha.core.models import Committee
from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind, Rank, RelationKind, RelationSource
from xuncha.orgs.models import Organization, Person
from xuncha.orgs.services import organization_save, person_save, position_save, relationship_add
from xuncha.planning.choices import PoolKind
from xuncha.planning.services.teams import pool_member_save

D, SOE, TWN, VIL = OrgLevel.DEPARTMENT, OrgLevel.SOE, OrgLevel.TOWNSHIP, OrgLevel.VILLAGE
PC, PG, PGB = PartyOrgType.COMMITTEE, PartyOrgType.LEADING_GROUP, PartyOrgType.GENERAL_BRANCH

# (code, name, short name, parent, level, party org type, tags, managing committee)
CITY_UNITS = [
    ("CS-GDJT", "长沙市轨道交通集团有限公司", "市轨道集团", SOE, PC, ["soe"]),
    ("CS-CTJT", "长沙城市建设投资开发集团有限公司", "市城投集团", SOE, PC, ["soe"]),
    ("CS-GJJT", "长沙市公共交通集团有限责任公司", "市公交集团", SOE, PC, ["soe"]),
    ("CS-JTJ", "长沙市交通运输局", "市交通运输局", D, PG, ["party_government"]),
    ("CS-WLJ", "长沙市文化旅游广电局", "市文旅广电局", D, PG, ["party_government"]),
    ("CS-ZRZYJ", "长沙市自然资源和规划局", "市自然资源和规划局", D, PG, ["party_government"]),
    ("CS-NYJ", "长沙市农业农村局", "市农业农村局", D, PG, ["rural"]),
    ("CS-MZJ", "长沙市民政局", "市民政局", D, PG, ["party_government"]),
    ("CS-RSJ", "长沙市人力资源和社会保障局", "市人社局", D, PG, ["party_government"]),
    ("CS-YBJ", "长沙市医疗保障局", "市医保局", D, PG, ["health"]),
    ("CS-SWJ", "长沙市商务局", "市商务局", D, PG, ["party_government"]),
    ("CS-KJJ", "长沙市科学技术局", "市科技局", D, PG, ["party_government"]),
    ("CS-GXJ", "长沙市工业和信息化局", "市工信局", D, PG, ["party_government"]),
    ("CS-SLJ", "长沙市水利局", "市水利局", D, PG, ["water_utilities"]),
    ("CS-LYJ", "长沙市林业局", "市林业局", D, PG, ["rural"]),
    ("CS-SCJGJ", "长沙市市场监督管理局", "市市场监管局", D, PG, ["party_government"]),
    ("CS-YJJ", "长沙市应急管理局", "市应急管理局", D, PG, ["party_government"]),
    ("CS-CGJ", "长沙市城市管理和综合执法局", "市城管执法局", D, PG, ["urban"]),
    ("CS-TYJ", "长沙市体育局", "市体育局", D, PG, ["party_government"]),
    ("CS-TJJ", "长沙市统计局", "市统计局", D, PG, ["party_government"]),
    ("CS-JGSWJ", "长沙市机关事务管理局", "市机关事务局", D, PG, ["party_government"]),
    ("CS-GJJ", "长沙住房公积金管理中心", "市住房公积金中心", OrgLevel.INSTITUTION, PC, ["finance"]),
    ("CS-CFJT", "长沙城市发展集团有限公司", "市城发集团", SOE, PC, ["soe"]),
    ("CS-XDJT", "长沙先导投资控股集团有限公司", "市先导集团", SOE, PC, ["soe"]),
    ("CS-XJJT", "长沙市湘江集团有限公司", "市湘江集团", SOE, PC, ["soe"]),
]
LIANHUA_VILLAGES = ["莲花村", "金华村", "龙洞村", "桐木村", "华山村", "东塘村", "花扎街村", "合丰村"]
SKILL_MIX = ["discipline", "organization", "finance", "audit", "law", "engineering", "rural_economy", "petition"]
HOME_UNITS = [
    "CS-JW",
    "CS-ZZB",
    "CS-SJJ",
    "CS-CZJ",
    "CS-FGW",
    "CS-ZJJ",
    "YH-JW",
    "YH-ZZB",
    "YL-YLJD",
    "YH-JD01",
    "YL-WYJD",
]


def extra_units(committees: dict[str, Committee]) -> dict[str, Organization]:
    """City units for the seed round, 岳麓区莲花镇 and its villages, and the provincial inspection office."""

    def save(
        code: str, name: str, short: str, parent: str, level: str, kind: str, tags: list[str], committee: str
    ) -> Organization:
        org, _ = organization_save(
            actor=DEMO,
            org_code=code,
            name=name,
            short_name=short,
            parent=Organization.objects.get(org_code=parent),
            level=level,
            party_org_type=kind,
            sector_tags=tags,
            managed_by=committees[committee],
        )
        return org

    result = {}
    for code, name, short, level, kind, tags in CITY_UNITS:
        result[code] = save(code, name, short, "CS", level, kind, tags, "中共长沙市委")
    result["HN-XSB"] = save(
        "HN-XSB", "中共湖南省委巡视工作领导小组办公室", "省委巡视办", "HN", D, PG, ["party_government"], "中共湖南省委"
    )
    result["YL-LHZ"] = save("YL-LHZ", "岳麓区莲花镇", "莲花镇", "YL", TWN, PC, ["rural"], "中共岳麓区委")
    for i, village in enumerate(LIANHUA_VILLAGES, start=1):
        result[f"YL-LHZ-C{i:02d}"] = save(
            f"YL-LHZ-C{i:02d}", f"莲花镇{village}", village, "YL-LHZ", VIL, PGB, ["rural"], "中共岳麓区委"
        )
    return result


def rosters(orgs: dict[str, Organization], fake: Faker) -> None:
    """A small leadership roster for each new unit (top leader, one deputy, the finance head)."""
    for code, org in orgs.items():
        if code == "HN-XSB":
            continue
        village = org.level == VIL
        posts = (
            [
                ("党总支书记、村委会主任", PostKind.TOP_LEADER, Rank.VILLAGE),
                ("村委会委员（财务）", PostKind.KEY_POST, Rank.VILLAGE),
            ]
            if village
            else [
                ("党委书记" if org.party_org_type == PC else "党组书记", PostKind.TOP_LEADER, Rank.DIVISION),
                ("班子成员", PostKind.LEADERSHIP_MEMBER, Rank.DIVISION),
                ("财务负责人", PostKind.KEY_POST, Rank.SECTION),
            ]
        )
        for n, (title, kind, rank) in enumerate(posts, start=1):
            person, _ = person_save(
                actor=DEMO, person_code=f"P-{code}-{n:02d}", name=fake.name(), gender="", political_status="中共党员"
            )
            position_save(
                actor=DEMO,
                person=person,
                organization=org,
                title=title,
                post_kind=kind,
                rank=rank,
                start_date=fake.date_between(date(2016, 1, 1), date(2021, 12, 31)).replace(day=1),
            )


def city_pool(committee: Committee, fake: Faker, leaders: int = 30, talent: int = 140) -> list[Person]:
    """长沙市委's 组长库 and 人才库: people from the discipline commission, the organisation department,
    audit, finance and the districts, with skills and a current post."""
    units = {code: Organization.objects.get(org_code=code) for code in HOME_UNITS}
    people = []
    for i in range(1, leaders + talent + 1):
        is_leader = i <= leaders
        code = f"PL-{i:03d}"
        home = HOME_UNITS[(i * 7) % len(HOME_UNITS)] if not is_leader else HOME_UNITS[i % 4]
        person, _ = person_save(actor=DEMO, person_code=code, name=fake.name(), gender="", political_status="中共党员")
        position_save(
            actor=DEMO,
            person=person,
            organization=units[home],
            title="二级巡视员" if is_leader else fake.random_element(["一级主任科员", "四级调研员", "科长", "副科长"]),
            post_kind=PostKind.STAFF,
            rank=Rank.DIVISION if is_leader else Rank.SECTION,
            start_date=date(2018 + i % 4, 1 + i % 12, 1),
        )
        skills = {SKILL_MIX[i % len(SKILL_MIX)], SKILL_MIX[(i * 3) % len(SKILL_MIX)]}
        if home in {"CS-JW", "YH-JW"}:
            skills.add("discipline")
        if home in {"CS-SJJ", "CS-CZJ"}:
            skills.add("audit" if home == "CS-SJJ" else "finance")
        pool_member_save(
            actor=DEMO,
            committee=committee,
            person=person,
            kind=PoolKind.LEADER if is_leader else PoolKind.TALENT,
            skills=sorted(skills),
            available=i % 23 != 0,
            recommended_by=units[home].name,
            vetted_on=date(2021, 12, 20),
        )
        people.append(person)
    return people


def recusal_cases(pool: list[Person]) -> None:
    """Relations and a past post that the recusal rules must catch in the demo."""
    syjt_head = Person.objects.get(person_code="P-CS-SYJT-01")
    relationship_add(
        actor=DEMO, person_a=pool[40], person_b=syjt_head, kind=RelationKind.SPOUSE, source=RelationSource.VERIFIED
    )
    position_save(
        actor=DEMO,
        person=pool[41],
        organization=Organization.objects.get(org_code="CS-SYJT"),
        title="综合部主任",
        post_kind=PostKind.STAFF,
        rank=Rank.ENTERPRISE,
        start_date=date(2019, 3, 1),
        end_date=date(2021, 6, 30),
    )
