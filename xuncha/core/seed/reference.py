"""Reference data every installation starts with: code tables and parameters (domain.md §3–§5, §11)."""

from typing import Any

CODE_TABLES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "inspection_types",
        "巡察类型",
        "巡察的类型，与标记组合使用（如提级交叉巡察）。",
        [
            ("regular", "常规巡察"),
            ("special", "专项巡察"),
            ("mobile", "机动巡察"),
            ("follow_up", "巡察“回头看”"),
            ("rect_supervision", "巡察整改督查"),
        ],
    ),
    (
        "inspection_flags",
        "巡察方式标记",
        "可叠加于巡察类型之上。",
        [
            ("elevated", "提级巡察"),
            ("cross", "交叉巡察"),
            ("linked", "联动巡察（巡视带巡察）"),
            ("extended", "延伸巡察（巡乡带村）"),
        ],
    ),
    (
        "three_focuses",
        "三个聚焦",
        "市县巡察监督重点；各地表述不同，按轮次选用版本。",
        [
            ("focus_policy", "聚焦贯彻落实党的理论路线方针政策和党中央决策部署"),
            ("focus_grassroots_corruption", "聚焦群众身边腐败问题和不正之风"),
            ("focus_grassroots_org", "聚焦基层党组织领导班子和干部队伍建设"),
        ],
    ),
    (
        "four_focuses",
        "四个聚焦",
        "部分地方在三个聚焦基础上增加巡察整改落实。",
        [
            ("focus_policy", "聚焦贯彻落实党的理论路线方针政策和党中央决策部署"),
            ("focus_grassroots_corruption", "聚焦群众身边腐败问题和不正之风"),
            ("focus_grassroots_org", "聚焦基层党组织领导班子和干部队伍建设"),
            ("focus_rectification", "聚焦巡视巡察整改落实"),
        ],
    ),
    (
        "four_implementations",
        "四个落实",
        "巡视监督重点。",
        [
            ("impl_policy", "落实党的理论和路线方针政策、党中央重大决策部署情况"),
            ("impl_strict_governance", "落实全面从严治党战略部署情况"),
            ("impl_org_line", "落实新时代党的组织路线情况"),
            ("impl_rectification", "落实巡视、审计等监督发现问题整改情况"),
        ],
    ),
    (
        "three_major_problems",
        "三大问题",
        "2016—2018 年使用的监督框架。",
        [
            ("weakened_leadership", "党的领导弱化"),
            ("lacking_party_building", "党的建设缺失"),
            ("weak_strict_governance", "全面从严治党不力"),
        ],
    ),
    (
        "six_disciplines",
        "六大纪律",
        "信访举报与问题线索的纪律分类。",
        [
            ("political", "政治纪律"),
            ("organizational", "组织纪律"),
            ("integrity", "廉洁纪律"),
            ("mass", "群众纪律"),
            ("work", "工作纪律"),
            ("personal_conduct", "生活纪律"),
            ("duty_crime", "职务违法犯罪"),
        ],
    ),
    (
        "petition_classes",
        "信访类别",
        "纪检监察统计口径。",
        [
            ("accusation", "检举控告"),
            ("appeal", "申诉"),
            ("suggestion", "批评建议"),
            ("out_of_scope", "业务范围外"),
        ],
    ),
    (
        "petition_channels",
        "信访来源渠道",
        "信访件的来源：来信、来访、来电、电子邮件、意见箱、码上巡察、网络举报、上级转办、巡察中发现。",
        [
            ("letter", "来信"),
            ("visit", "来访"),
            ("phone", "来电"),
            ("email", "电子邮件"),
            ("box", "意见箱"),
            ("qr", "码上巡察"),
            ("web", "网络举报"),
            ("referral_in", "上级转办"),
            ("found", "巡察中发现"),
        ],
    ),
    (
        "clue_disposals",
        "问题线索处置方式",
        "纪检监察机关四类处置方式及立案。",
        [
            ("talk_inquiry", "谈话函询"),
            ("preliminary_verification", "初步核实"),
            ("shelved_pending", "暂存待查"),
            ("closed_no_action", "予以了结"),
            ("case_filed", "立案审查调查"),
        ],
    ),
    (
        "clue_destinations",
        "问题线索移交去向",
        "",
        [
            ("to_discipline", "移交纪委监委"),
            ("to_org_dept", "移交组织部"),
            ("to_unit", "交办被巡察党组织"),
            ("to_dept", "移交职能部门"),
            ("to_upper", "报送上级"),
        ],
    ),
    (
        "sector_tags",
        "行业领域",
        "组织机构的行业标签。",
        [
            ("party_government", "党政机关"),
            ("finance", "财政金融"),
            ("soe", "国有企业"),
            ("water_utilities", "水务公用事业"),
            ("education", "教育"),
            ("health", "卫生健康"),
            ("rural", "乡村振兴与农业农村"),
            ("urban", "城市建设与管理"),
            ("law_enforcement", "政法"),
            ("discipline", "纪检监察"),
            ("organization", "组织人事"),
            ("community", "基层社区"),
        ],
    ),
    (
        "skills",
        "专业特长",
        "组长库、人才库人员的专业特长。",
        [
            ("discipline", "纪检监察"),
            ("organization", "组织人事"),
            ("finance", "财务"),
            ("audit", "审计"),
            ("law", "法律"),
            ("engineering", "工程"),
            ("rural_economy", "农村经济"),
            ("petition", "信访"),
        ],
    ),
]

# Tables whose wording differs from place to place: committees may relabel items or add local ones for
# themselves and those below them. Every other table is national (全国统一), changed only from the top.
LOCALLY_EXTENSIBLE_TABLES = frozenset({"three_focuses", "four_focuses", "sector_tags", "skills"})

# Parameters read for the whole installation, not per committee (sign-in happens before any committee).
NATIONAL_ONLY_PARAMS = frozenset({"login_max_failures", "login_lockout_minutes"})
LOGIN_MAX_FAILURES_TEXT = (
    "同一用户名从同一地址连续输错密码达到此次数，即暂停该地址登录该账号；本人从其他地址仍可登录。"
    "动态口令连续输错此次数则锁定账号。"
)
LOGIN_LOCKOUT_MINUTES_TEXT = "暂停（或动态口令锁定）持续的时间；系统管理员可提前解除。"

PARAMS: list[dict[str, Any]] = [
    dict(
        key="notice_lead_days",
        label="巡察通知提前量",
        value_type="int",
        default=10,
        unit="工作日",
        min_value=1,
        max_value=60,
        description="进驻前多少个工作日印发巡察通知。",
    ),
    dict(
        key="onsite_days.regular",
        label="常规巡察进驻时长",
        value_type="int",
        default=60,
        unit="日",
        min_value=20,
        max_value=120,
    ),
    dict(
        key="onsite_days.special",
        label="专项巡察进驻时长",
        value_type="int",
        default=30,
        unit="日",
        min_value=7,
        max_value=90,
    ),
    dict(
        key="onsite_days.village",
        label="村（社区）巡察进驻时长",
        value_type="int",
        default=15,
        unit="日",
        min_value=5,
        max_value=40,
    ),
    dict(
        key="petition_cutoff_before_end_days",
        label="信访受理截止提前量",
        value_type="int",
        default=7,
        unit="日",
        min_value=0,
        max_value=30,
        description="进驻结束前多少日截止受理信访。",
    ),
    dict(
        key="reception_hours",
        label="接访（值班电话）时间",
        value_type="json",
        default={"weekdays": [1, 2, 3, 4, 5], "ranges": [["09:00", "12:00"], ["13:30", "17:30"]]},
        description="工作日的接听时段。",
    ),
    dict(
        key="report_to_secretary_meeting_within_days",
        label="向书记专题会汇报时限",
        value_type="int",
        default=30,
        unit="日",
        min_value=5,
        max_value=90,
        description="进驻结束后多少日内汇报。",
    ),
    dict(
        key="rect_plan_due_working_days",
        label="整改方案报送时限",
        value_type="int",
        default=15,
        unit="工作日",
        min_value=5,
        max_value=60,
        description="反馈后多少个工作日内报送整改方案。",
    ),
    dict(
        key="democratic_life_meeting_due_days",
        label="整改专题民主生活会时限",
        value_type="int",
        default=30,
        unit="日",
        min_value=7,
        max_value=90,
    ),
    dict(
        key="rect_report_due_months",
        label="整改情况报告时限",
        value_type="int",
        default=3,
        unit="个月",
        min_value=1,
        max_value=6,
        description="反馈后多少个月内报送整改情况报告（部分地方为 2 个月）。",
    ),
    dict(
        key="clue_feedback_due_months",
        label="移交线索反馈时限",
        value_type="int",
        default=3,
        unit="个月",
        min_value=1,
        max_value=12,
    ),
    dict(
        key="clue_final_due_months",
        label="线索办结时限",
        value_type="int",
        default=6,
        unit="个月",
        min_value=1,
        max_value=12,
    ),
    dict(
        key="petition_sign_working_days",
        label="信访件签收时限",
        value_type="int",
        default=5,
        unit="工作日",
        min_value=1,
        max_value=30,
    ),
    dict(
        key="petition_handle_months",
        label="信访件办理时限",
        value_type="int",
        default=3,
        unit="个月",
        min_value=1,
        max_value=12,
    ),
    dict(
        key="realname_ack_working_days",
        label="实名举报受理告知时限",
        value_type="int",
        default=15,
        unit="工作日",
        min_value=1,
        max_value=30,
    ),
    dict(
        key="realname_reply_after_close_working_days",
        label="实名举报办结反馈时限",
        value_type="int",
        default=15,
        unit="工作日",
        min_value=1,
        max_value=30,
    ),
    dict(
        key="rect_warning_days",
        label="整改三色预警天数",
        value_type="json",
        default={"green": 20, "yellow": 10},
        description="距完成时限多少日发绿色、黄色预警；逾期为红色。",
    ),
    dict(
        key="followup_check_months_after_deadline",
        label="整改督查（回头看）间隔",
        value_type="int",
        default=3,
        unit="个月",
        min_value=1,
        max_value=12,
        description="整改时限届满后多少个月开展督查或回头看（常见 3—6 个月）。",
    ),
    dict(
        key="uninspected_warning_years",
        label="未巡察预警年限",
        value_type="int",
        default=3,
        unit="年",
        min_value=1,
        max_value=5,
    ),
    dict(
        key="avoidance_lookback_years",
        label="回避审查回溯年限",
        value_type="int",
        default=3,
        unit="年",
        min_value=1,
        max_value=10,
    ),
    dict(
        key="team_size",
        label="巡察组人数",
        value_type="json",
        default={"min": 5, "max": 7, "deputies_max": 2},
        description="每组人数下限、上限和副组长人数上限。",
    ),
    dict(
        key="onsite_days.supervision",
        label="巡察整改督查进驻时长",
        value_type="int",
        default=10,
        unit="日",
        min_value=3,
        max_value=60,
    ),
    dict(
        key="feedback_after_report_days",
        label="反馈时限",
        value_type="int",
        default=15,
        unit="日",
        min_value=1,
        max_value=90,
        description="向书记专题会汇报时限届满后多少日内向被巡察党组织反馈。",
    ),
    dict(
        key="team_required_skills",
        label="每组必备专业特长",
        value_type="json",
        default=[["finance", "audit"], ["discipline"]],
        description="每一项列出若干专业特长，每个巡察组至少有一人具备其中之一（默认：财务或审计一人、纪检监察一人）。",
    ),
    dict(
        key="weekly_report_weekday",
        label="巡察组工作周报报送日",
        value_type="int",
        default=5,
        unit="星期几",
        min_value=1,
        max_value=7,
        description="巡察组每周星期几报送本周工作周报（1为星期一，5为星期五）；遇节假日顺延至下一个工作日。",
    ),
    dict(
        key="recent_retirement_years",
        label="近期退出领导岗位年限",
        value_type="int",
        default=2,
        unit="年",
        min_value=1,
        max_value=5,
        description="退出领导岗位在此年限内的干部列入动员会参会名单和必谈名单。",
    ),
    dict(
        key="login_max_failures",
        label="登录失败暂停次数",
        value_type="int",
        default=5,
        unit="次",
        min_value=3,
        max_value=10,
        description=LOGIN_MAX_FAILURES_TEXT,
    ),
    dict(
        key="login_lockout_minutes",
        label="登录暂停时长",
        value_type="int",
        default=15,
        unit="分钟",
        min_value=5,
        max_value=1440,
        description=LOGIN_LOCKOUT_MINUTES_TEXT,
    ),
]


def load_reference_data(apps: Any) -> None:
    """Create the code tables, parameters and calendar if missing (used by a data migration)."""
    from xuncha.core.seed.calendar_cn import calendar_rows

    CodeTable = apps.get_model("core", "CodeTable")
    CodeItem = apps.get_model("core", "CodeItem")
    ConfigParam = apps.get_model("core", "ConfigParam")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for key, name, description, items in CODE_TABLES:
        table, created = CodeTable.objects.get_or_create(
            key=key, version=1, defaults={"name": name, "description": description, "is_current": True}
        )
        if created:
            CodeItem.objects.bulk_create(
                CodeItem(table=table, code=code, label=label, sort_order=i)
                for i, (code, label) in enumerate(items, start=1)
            )
    for spec in PARAMS:
        ConfigParam.objects.get_or_create(key=spec["key"], defaults={k: v for k, v in spec.items() if k != "key"})
    national = CalendarDay.objects.all()
    if any(f.name == "committee" for f in CalendarDay._meta.get_fields()):
        national = national.filter(committee__isnull=True)  # a local entry does not stand for the national one
    existing = set(national.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, kind=kind, name=name, source=source)
        for d, kind, name, source in calendar_rows()
        if d not in existing
    )
