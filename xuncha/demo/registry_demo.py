"""Load the demo: Hunan → Changsha → 雨花区/岳麓区 committees, their units and rosters, one user per role.

Idempotent: running it again changes nothing. Names are generated with Faker (zh_CN)
from a fixed seed, so every run produces the same people.
"""

import base64
import hashlib
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from xuncha.accounts.models import RoleGrant, User
from xuncha.accounts.services import role_grant_add, totp_bind_known_secret, user_create
from xuncha.core.actors import DEMO
from xuncha.core.models import Committee
from xuncha.core.models.committee import CommitteeLevel
from xuncha.core.roles import Role
from xuncha.core.services import committee_create
from xuncha.orgs.choices import OrgLevel, PartyOrgType, PostKind, Rank
from xuncha.orgs.models import Organization
from xuncha.orgs.services import organization_save, person_save, position_save

DEMO_PASSWORD = "Xuncha#2023demo"

COMMITTEES = [
    ("中共湖南省委", "湖南省委", CommitteeLevel.PROVINCE, None, "省委巡视工作领导小组办公室"),
    ("中共长沙市委", "长沙市委", CommitteeLevel.CITY, "中共湖南省委", "市委巡察工作领导小组办公室"),
    ("中共雨花区委", "雨花区委", CommitteeLevel.COUNTY, "中共长沙市委", "区委巡察工作领导小组办公室"),
    ("中共岳麓区委", "岳麓区委", CommitteeLevel.COUNTY, "中共长沙市委", "区委巡察工作领导小组办公室"),
]

D, SOE, CNTY, TWN, STR, VIL, COM = (
    OrgLevel.DEPARTMENT,
    OrgLevel.SOE,
    OrgLevel.COUNTY,
    OrgLevel.TOWNSHIP,
    OrgLevel.STREET,
    OrgLevel.VILLAGE,
    OrgLevel.COMMUNITY,
)
PC, PG, PWC, PGB = (
    PartyOrgType.COMMITTEE,
    PartyOrgType.LEADING_GROUP,
    PartyOrgType.WORKING_COMMITTEE,
    PartyOrgType.GENERAL_BRANCH,
)

# (code, name, short name, parent code, level, party org type, sector tags, managing committee)
ORGS: list[tuple[str, str, str, str, str, str, list[str], str]] = [
    ("HN", "湖南省", "湖南省", "", OrgLevel.PROVINCE, PC, ["party_government"], "中共湖南省委"),
    ("CS", "长沙市", "长沙市", "HN", OrgLevel.CITY, PC, ["party_government"], "中共湖南省委"),
    ("CS-SYJT", "长沙市水业集团有限公司", "市水业集团", "CS", SOE, PC, ["soe", "water_utilities"], "中共长沙市委"),
    ("CS-CZJ", "长沙市财政局", "市财政局", "CS", D, PG, ["finance", "party_government"], "中共长沙市委"),
    ("CS-SJJ", "长沙市审计局", "市审计局", "CS", D, PG, ["finance", "party_government"], "中共长沙市委"),
    (
        "CS-GZW",
        "长沙市人民政府国有资产监督管理委员会",
        "市国资委",
        "CS",
        D,
        PC,
        ["soe", "party_government"],
        "中共长沙市委",
    ),
    ("CS-FGW", "长沙市发展和改革委员会", "市发改委", "CS", D, PG, ["party_government"], "中共长沙市委"),
    ("CS-JYJ", "长沙市教育局", "市教育局", "CS", D, PC, ["education"], "中共长沙市委"),
    ("CS-WJW", "长沙市卫生健康委员会", "市卫健委", "CS", D, PG, ["health"], "中共长沙市委"),
    ("CS-ZJJ", "长沙市住房和城乡建设局", "市住建局", "CS", D, PG, ["urban"], "中共长沙市委"),
    (
        "CS-JW",
        "中共长沙市纪律检查委员会、长沙市监察委员会机关",
        "市纪委监委机关",
        "CS",
        D,
        PG,
        ["discipline"],
        "中共长沙市委",
    ),
    ("CS-ZZB", "中共长沙市委组织部", "市委组织部", "CS", D, PG, ["organization"], "中共长沙市委"),
    ("YH", "长沙市雨花区", "雨花区", "CS", CNTY, PC, ["party_government"], "中共长沙市委"),
    (
        "YH-JW",
        "中共长沙市雨花区纪律检查委员会、雨花区监察委员会机关",
        "雨花区纪委监委机关",
        "YH",
        D,
        PG,
        ["discipline"],
        "中共雨花区委",
    ),
    ("YH-ZZB", "中共长沙市雨花区委组织部", "雨花区委组织部", "YH", D, PG, ["organization"], "中共雨花区委"),
    (
        "YH-XCB",
        "中共长沙市雨花区委巡察工作领导小组办公室",
        "雨花区委巡察办",
        "YH",
        D,
        PG,
        ["discipline"],
        "中共雨花区委",
    ),
    ("YL", "长沙市岳麓区", "岳麓区", "CS", CNTY, PC, ["party_government"], "中共长沙市委"),
    ("YL-YLJD", "岳麓区岳麓街道", "岳麓街道", "YL", STR, PWC, ["community"], "中共岳麓区委"),
    ("YL-WYJD", "岳麓区望岳街道", "望岳街道", "YL", STR, PWC, ["community"], "中共岳麓区委"),
    ("YL-LFSQ", "岳麓街道桃花岭社区", "桃花岭社区", "YL-YLJD", COM, PGB, ["community"], "中共岳麓区委"),
]
YUHUA_STREETS = ["侯家塘", "左家塘", "雨花亭", "高桥", "洞井", "黎托", "东山", "同升", "砂子塘", "圭塘", "井湾子"]
TIAOMA_VILLAGES = ["跳马村", "石燕湖村", "白竹村", "锦田村", "田心桥村", "新田村"]
TIAOMA_COMMUNITIES = ["跳马社区"]

USERS: list[tuple[str, str, str, str | None, str | None]] = [
    # username, description, role, committee name, org code
    ("hn_office", "省委巡视办工作人员", Role.OFFICE_STAFF, "中共湖南省委", None),
    # The top of the demo tree: the only one who may change the national calendar and code tables (ADR 0016).
    ("hn_office_admin", "省委巡视办管理员（全国统一日历和代码表）", Role.OFFICE_ADMIN, "中共湖南省委", None),
    ("cs_director", "市委巡察办主任（可阅问题线索）", Role.OFFICE_DIRECTOR, "中共长沙市委", None),
    ("cs_office_admin", "市委巡察办管理员", Role.OFFICE_ADMIN, "中共长沙市委", None),
    ("cs_office", "市委巡察办工作人员", Role.OFFICE_STAFF, "中共长沙市委", None),
    ("yh_office", "雨花区委巡察办工作人员", Role.OFFICE_STAFF, "中共雨花区委", None),
    ("yl_office", "岳麓区委巡察办工作人员", Role.OFFICE_STAFF, "中共岳麓区委", None),
    ("cs_leading", "市委巡察工作领导小组成员", Role.LEADING_GROUP, "中共长沙市委", None),
    ("cs_committee", "市委领导（书记专题会）", Role.COMMITTEE_MEMBER, "中共长沙市委", None),
    ("cs_supervisor", "分管市领导", Role.SUPERVISING_LEADER, "中共长沙市委", None),
    ("cs_discipline", "市纪委监委信访室", Role.DISCIPLINE_ORG, "中共长沙市委", None),
    ("cs_orgdept", "市委组织部干部监督科", Role.ORG_DEPT, "中共长沙市委", None),
    ("cs_finance", "市财政局（职能部门）", Role.FUNCTIONAL_DEPT, None, "CS-CZJ"),
    ("syjt_leader", "市水业集团党委书记", Role.UNIT_LEADER, None, "CS-SYJT"),
    ("syjt_liaison", "市水业集团联络员", Role.UNIT_LIAISON, None, "CS-SYJT"),
    ("sysadmin", "系统管理员", Role.SYS_ADMIN, None, None),
    ("secadmin", "安全保密管理员", Role.SEC_ADMIN, None, None),
    ("secauditor", "安全审计员", Role.SEC_AUDITOR, None, None),
]


def demo_totp_secret(username: str) -> str:
    """A fixed TOTP secret per demo user, so the demo needs no enrolment."""
    return base64.b32encode(hashlib.sha256(f"xuncha-demo-{username}".encode()).digest()[:20]).decode()


def demo_user(username: str, full_name: str) -> User:
    """A demo account with the demo password and its fixed authenticator already bound (created once)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=DEMO, username=username, full_name=full_name, password=DEMO_PASSWORD)
        totp_bind_known_secret(actor=DEMO, user=user, secret=demo_totp_secret(username))
    return user


class RegistryDemo(BaseCommand):
    help = "加载演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            committees = self._committees()
            orgs = self._orgs(committees)
            created = self._rosters(orgs)
            self._users(committees, orgs)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(orgs)} 个单位，本次新增任职记录 {created} 条。"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description, role, _, _ in USERS:
            self.stdout.write(f"  {username:<16} {description}（{Role(role).label}）")
        self.stdout.write(
            "巡察办、领导小组、“三员”以及巡察组组长和信访专员登录时需输入动态口令；演示模式下页面会显示当前口令。"
        )

    def _committees(self) -> dict[str, Committee]:
        result: dict[str, Committee] = {}
        for name, short, level, parent, office in COMMITTEES:
            committee = Committee.objects.filter(name=name).first()
            if committee is None:
                committee = committee_create(
                    actor=DEMO,
                    name=name,
                    short_name=short,
                    level=level,
                    parent=result.get(parent or ""),
                    office_name=office,
                )
            result[name] = committee
        return result

    def _orgs(self, committees: dict[str, Committee]) -> dict[str, Organization]:
        rows = list(ORGS)
        for i, street in enumerate(YUHUA_STREETS, start=1):
            rows.append(
                (f"YH-JD{i:02d}", f"雨花区{street}街道", f"{street}街道", "YH", STR, PWC, ["community"], "中共雨花区委")
            )
        rows.append(("YH-TMZ", "雨花区跳马镇", "跳马镇", "YH", TWN, PC, ["rural"], "中共雨花区委"))
        for i, village in enumerate(TIAOMA_VILLAGES, start=1):
            rows.append(
                (f"YH-TMZ-C{i:02d}", f"跳马镇{village}", village, "YH-TMZ", VIL, PGB, ["rural"], "中共雨花区委")
            )
        for i, community in enumerate(TIAOMA_COMMUNITIES, start=1):
            rows.append(
                (f"YH-TMZ-S{i:02d}", f"跳马镇{community}", community, "YH-TMZ", COM, PGB, ["community"], "中共雨花区委")
            )
        orgs: dict[str, Organization] = {}
        for code, name, short, parent, level, party_type, tags, committee in rows:
            orgs[code], _ = organization_save(
                actor=DEMO,
                org_code=code,
                name=name,
                short_name=short,
                parent=orgs.get(parent),
                level=level,
                party_org_type=party_type,
                sector_tags=tags,
                managed_by=committees[committee],
            )
        return orgs

    def _rosters(self, orgs: dict[str, Organization]) -> int:
        fake = Faker("zh_CN")
        Faker.seed(20230907)
        created = 0
        for code, org in orgs.items():
            if org.level in {OrgLevel.VILLAGE, OrgLevel.COMMUNITY}:
                kind = "村" if org.level == OrgLevel.VILLAGE else "社区"
                posts = [
                    (f"党总支书记、{kind}委会主任", PostKind.TOP_LEADER, Rank.VILLAGE),
                    ("党总支副书记", PostKind.LEADERSHIP_MEMBER, Rank.VILLAGE),
                    (f"{kind}委会委员（财务）", PostKind.KEY_POST, Rank.VILLAGE),
                ]
            elif org.level == OrgLevel.SOE:
                posts = [
                    ("党委书记、董事长", PostKind.TOP_LEADER, Rank.ENTERPRISE),
                    ("党委副书记、总经理", PostKind.LEADERSHIP_MEMBER, Rank.ENTERPRISE),
                    ("党委委员、纪委书记", PostKind.LEADERSHIP_MEMBER, Rank.ENTERPRISE),
                    ("党委委员、副总经理", PostKind.LEADERSHIP_MEMBER, Rank.ENTERPRISE),
                    ("财务部部长", PostKind.KEY_POST, Rank.ENTERPRISE),
                    ("工程管理部部长", PostKind.KEY_POST, Rank.ENTERPRISE),
                ]
            else:
                rank = Rank.BUREAU if org.level in {OrgLevel.PROVINCE, OrgLevel.CITY} else Rank.DIVISION
                if org.level in {OrgLevel.TOWNSHIP, OrgLevel.STREET}:
                    rank = Rank.SECTION
                head = (
                    "书记"
                    if org.party_org_type in {PartyOrgType.COMMITTEE, PartyOrgType.WORKING_COMMITTEE}
                    else "党组书记"
                )
                posts = [
                    (f"{head}", PostKind.TOP_LEADER, rank),
                    ("副书记" if head == "书记" else "党组成员、副职", PostKind.LEADERSHIP_MEMBER, rank),
                    ("班子成员", PostKind.LEADERSHIP_MEMBER, rank),
                    ("班子成员", PostKind.LEADERSHIP_MEMBER, rank),
                    ("财务科科长", PostKind.KEY_POST, Rank.SECTION),
                ]
            for n, (title, kind_, rank_) in enumerate(posts, start=1):
                gender = "male" if fake.random_int(0, 99) < 70 else "female"
                name = fake.name_male() if gender == "male" else fake.name_female()
                birth = fake.date_between(date(1965, 1, 1), date(1988, 12, 31)).replace(day=1)
                start = fake.date_between(date(2016, 1, 1), date(2023, 6, 30)).replace(day=1)
                person, _ = person_save(
                    actor=DEMO,
                    person_code=f"P-{code}-{n:02d}",
                    name=name,
                    gender=gender,
                    birth_date=birth,
                    ethnicity="汉族",
                    political_status="中共党员",
                )
                person_title = title if title != "班子成员" else f"班子成员{n - 2}"
                _, outcome = position_save(
                    actor=DEMO,
                    person=person,
                    organization=org,
                    title=person_title,
                    post_kind=kind_,
                    rank=rank_,
                    start_date=start,
                )
                created += outcome == "created"
        return created

    def _users(self, committees: dict[str, Committee], orgs: dict[str, Organization]) -> None:
        for username, description, role, committee, org_code in USERS:
            user = demo_user(username, description)
            org = orgs[org_code] if org_code else None
            if not RoleGrant.objects.filter(user=user, role=role).exists():
                role_grant_add(
                    actor=DEMO,
                    user=user,
                    role=role,
                    committee=committees[committee] if committee else None,
                    organization=org,
                )
