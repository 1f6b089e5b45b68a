"""Petitions about the people of a roster, and paraphrases as reporters really write them (deterministic per seed).

A stored petition names its subject with unit, title and surname + 某, states one matter (an act, the
project it concerned, the place or company where — 60 villages, communities, companies and sites — and a
figure) and a side remark: 120 people × 6 acts × 20 projects × 60 places, so that at 100,000 petitions two
about the same person and the same matter are rare, as in a real assignment. Its paraphrase tells the same matter again with
other words (each act has several phrasings), another order, the person written another way (full name, unit +
一把手, surname + title) and the figure written another way (20万 → 二十万元 / 二十来万). The facts of each
are returned: a proposal is right when it is about the same person and the same matter.
"""

import random
from dataclasses import dataclass

UNITS = [
    "住房和城乡建设局", "财政局", "交通运输局", "自然资源局", "水利局", "教育局", "卫生健康局", "民政局", "人力资源和社会保障局",
    "农业农村局", "市场监督管理局", "城市管理局", "应急管理局", "生态环境局", "商务局", "文化旅游局", "审计局", "统计局",
    "医疗保障局", "林业局", "跳马镇", "黎托街道", "洞井街道", "高桥街道", "东山街道", "同升街道", "井湾子街道", "侯家塘街道",
    "左家塘街道", "圭塘街道", "砂子塘街道", "东岸街道", "石燕湖镇", "白竹镇", "锦田镇", "黄兴镇", "榔梨镇", "暮云街道",
    "南托街道", "坪塘镇",
]  # fmt: skip
SHORT = {"住房和城乡建设局": "住建局", "人力资源和社会保障局": "人社局", "卫生健康局": "卫健局", "自然资源局": "资规局",
         "市场监督管理局": "市监局", "城市管理局": "城管局", "医疗保障局": "医保局", "文化旅游局": "文旅局"}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
GIVEN = "国建志明海军伟强平华文东红丽芳勇斌涛磊鹏飞俊杰刚辉新春秋冬雪松柏林森"
PROJECTS = ["道路改造", "管网维修", "老旧小区改造", "污水处理厂", "路灯安装", "河道治理", "学校扩建", "农田水利", "公交站台",
            "停车场", "菜市场提质", "安置房", "体育馆", "自来水厂", "垃圾中转站", "公园绿化", "桥梁加固", "排涝泵站",
            "养老院", "卫生院"]  # fmt: skip
# Where: (name, the shorter way a reporter may write it); combined with the project (新塘村的道路改造).
PLACES = [
    ("新塘村", "新塘"), ("金鹰村", "金鹰"), ("白沙村", "白沙"), ("合丰村", "合丰"), ("石门村", "石门"), ("双湖村", "双湖"),
    ("柏树村", "柏树"), ("枫林村", "枫林"), ("荷花村", "荷花"), ("大塘村", "大塘"), ("七里村", "七里"), ("青山村", "青山"),
    ("花桥村", "花桥"), ("古井村", "古井"), ("龙泉村", "龙泉"), ("桂花村", "桂花"), ("杨梅村", "杨梅"), ("高塘村", "高塘"),
    ("鸭塘村", "鸭塘"), ("丰收村", "丰收"), ("朝阳社区", "朝阳"), ("红星社区", "红星"), ("新开铺社区", "新开铺"),
    ("东湖社区", "东湖"), ("桃花岭社区", "桃花岭"), ("长塘社区", "长塘"), ("沙湾社区", "沙湾"), ("牛角冲社区", "牛角冲"),
    ("芙蓉社区", "芙蓉"), ("湘府社区", "湘府"), ("南湖社区", "南湖"), ("金桥社区", "金桥"), ("和平社区", "和平"),
    ("兴业社区", "兴业"), ("天际岭社区", "天际岭"), ("宏达建设公司", "宏达"), ("鑫源建筑公司", "鑫源"),
    ("恒通路桥公司", "恒通"), ("华盛市政公司", "华盛"), ("远大工程公司", "远大"), ("建辉劳务公司", "建辉"),
    ("联创环保公司", "联创"), ("德茂园林公司", "德茂"), ("顺发水电公司", "顺发"), ("永安物业公司", "永安"),
    ("中湘置业公司", "中湘"), ("利民供水公司", "利民"), ("东方园艺公司", "东方园艺"), ("三一片区", "三一"),
    ("洪山片区", "洪山"), ("黄花塘片区", "黄花塘"), ("圭白路工地", "圭白路"), ("万家丽路工地", "万家丽路"),
    ("湘江大道工地", "湘江大道"), ("曙光路工地", "曙光路"), ("星沙安置区", "星沙"), ("坪塘新区", "坪塘新区"),
    ("跳马工业园", "跳马园区"), ("黎托物流园", "黎托物流园"), ("洞井产业园", "洞井园区"),
]  # fmt: skip
# Each act: how the original says it, how paraphrases say it ({p} project, {m} money).
ACTS = [
    ("在{p}工程招标中收受施工方回扣{m}", ["{p}那个工程，他拿了包工头{m}的好处费", "搞{p}的老板给他送了{m}红包，收了钱工程就给了人家"]),
    ("在{p}项目中多次报销虚假发票，金额约{m}", ["{p}的账上虚开发票套取了{m}", "拿假票报账，{p}这块报了{m}"]),
    ("在{p}项目招标中指定其亲属公司中标，涉及资金{m}", ["把{p}内定给他小舅子的公司，{m}的活", "{p}搞围标串标，亲戚的公司拿了{m}"]),
    ("长期违规使用公车接送家属，经常开往{p}工地附近的住处", ["公务用车天天当私家车用，{p}那边都见过", "单位的车成了他家的车，去{p}都开着"]),
    ("在{p}验收中降低标准，导致质量问题，损失约{m}", ["{p}偷工减料也让过了，豆腐渣，亏了{m}", "{p}质量那么差还签字验收，损失{m}"]),
    ("上班时间长期在{p}附近的茶楼打牌赌博，输赢约{m}", ["在{p}旁边的茶馆打麻将赌钱，一场{m}", "不上班，去{p}那边牌局赌博，输了{m}"]),
]  # fmt: skip
OPENERS = ["反映", "举报", "实名反映", "我要反映", ""]
CLOSERS = ["请巡察组调查核实。", "希望组织查处。", "群众意见很大。", "请依法依规处理。", ""]
ASIDES = ["此人平时作风霸道", "单位里很多人都知道", "大家敢怒不敢言", "已经好几年了"]
DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Post:
    unit: str  # the sub-unit's name as in the roster (基准区住房和城乡建设局)
    short: str
    title: str
    name: str
    top: bool


@dataclass(frozen=True)
class Facts:
    person: int  # index in the roster
    act: int
    project: int
    place: int


def roster(rng: random.Random, district: str) -> list[Post]:
    """One top leader and two key posts per unit, each person's full name unique."""
    names: set[str] = set()
    out = []
    for unit in UNITS:
        head = "局长" if unit.endswith("局") else ("镇长" if unit.endswith("镇") else "主任")
        for title, top in ((head, True), ("财务股股长", False), ("办公室主任", False)):
            while True:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                if name not in names:
                    names.add(name)
                    break
            out.append(Post(f"{district}{unit}", SHORT.get(unit, unit), title, name, top))
    return out


def _money(rng: random.Random) -> int:
    return rng.randint(2, 99)


def _figure(n: int, rng: random.Random) -> str:
    tens, ones = divmod(n, 10)
    chinese = (DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (DIGITS[ones] if ones else "")
    return rng.choice([f"{chinese}万元", f"{chinese}来万", f"{n}万左右", f"差不多{chinese}万"])


def petition(rng: random.Random, posts: list[Post], facts: Facts | None = None) -> tuple[str, Facts, int]:
    """(text, facts, amount) of a stored petition."""
    facts = facts or Facts(
        rng.randrange(len(posts)), rng.randrange(len(ACTS)), rng.randrange(len(PROJECTS)), rng.randrange(len(PLACES))
    )
    post = posts[facts.person]
    amount = _money(rng)
    act = ACTS[facts.act][0].format(p=PLACES[facts.place][0] + PROJECTS[facts.project], m=f"{amount}万元")
    who = f"{post.short}{post.title}{post.name[0]}某某"
    text = (
        f"{rng.choice(OPENERS)}{who}{rng.randint(2018, 2024)}年以来{act}，{rng.choice(ASIDES)}。{rng.choice(CLOSERS)}"
    )
    return text, facts, amount


def paraphrase(facts: Facts, amount: int, posts: list[Post], rng: random.Random) -> str:
    """The same matter told again: other words, order, the person as a title or by name, the figure rewritten,
    the place written in full or shorter, before the project or said apart from it."""
    post = posts[facts.person]
    full, short = PLACES[facts.place]
    project = PROJECTS[facts.project]
    where = rng.choice(
        [
            f"{full}{project}",
            f"{full}的{project}",
            f"{short}那边的{project}",
            f"{project}（{full}）",
            f"{short}{project}",
        ]
    )
    said = rng.choice(ACTS[facts.act][1]).format(p=where, m=_figure(amount, rng))
    surname_title = f"{post.name[0]}{post.title[-2:]}"
    forms = [post.name, f"{post.short}的{surname_title}", f"{post.short}{post.title}"]
    if post.top:
        forms.append(f"{post.short}一把手")
    who = rng.choice(forms)
    aside = rng.choice(["这事好多人都晓得", "不是一次两次了", "大家都不敢说", ""])
    if rng.random() < 0.5:
        return f"{said}，说的就是{who}。{aside}"
    return f"{rng.choice(['补充反映', '再说一下', ''])}{who}：{said}。{aside}"
