"""Synthetic Chinese petitions and their paraphrases, for the benchmarks (deterministic per seed)."""

import random

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
UNITS = ["市水业集团", "市交通运输局", "市住建局", "市城投集团", "市公交集团", "跳马镇政府", "洞井街道", "市医保局", "市教育局", "区财政局",
         "市自然资源和规划局", "区城管执法局", "市卫健委", "区民政局", "黎托街道", "高桥街道", "石燕湖村", "白竹村", "锦田村", "市轨道集团"]  # fmt: skip
POSTS = [
    "局长",
    "副局长",
    "处长",
    "科长",
    "主任",
    "副主任",
    "书记",
    "村支书",
    "站长",
    "所长",
    "总经理",
    "副总经理",
    "部长",
    "财务负责人",
    "队长",
]
ACTS = [
    "利用职务之便多次报销虚假发票，金额约{n}万元",
    "在{p}项目招标中指定其亲属公司中标，涉及资金{n}万元",
    "收受施工单位负责人红包和购物卡共计{n}万元",
    "违规使用公车接送家属，经常在周末开往{place}",
    "在低保评定中优亲厚友，将其亲戚{k}人纳入低保",
    "在征地拆迁补偿中虚报面积，多领补偿款{n}万元",
    "长期不在岗，上班时间在{place}打牌赌博",
    "违规提拔其老乡担任{p2}，群众议论很大",
    "对群众反映的{p}问题推诿扯皮，拖延{k}个月不处理",
    "在{place}组织公款吃喝，每次花费数千元",
    "挪用村集体资金{n}万元用于个人投资",
    "与{p}承包商往来密切，验收中降低标准",
]
PROJECTS = [
    "道路改造",
    "管网维修",
    "老旧小区改造",
    "污水处理",
    "路灯安装",
    "河道治理",
    "学校扩建",
    "农田水利",
    "公交站台",
    "停车场建设",
]
PLACES = [
    "浏阳",
    "宁乡",
    "株洲",
    "湘潭",
    "岳阳",
    "郴州",
    "常德",
    "益阳",
    "衡阳",
    "邵阳",
    "市郊农庄",
    "某酒店",
    "某茶楼",
]
OPENERS = ["反映", "举报", "实名反映", "我要反映", "本人举报", ""]
CLOSERS = ["请巡察组调查核实。", "希望组织查处。", "群众意见很大。", "请依法依规处理。", "", "以上情况属实。"]
SWAPS = [("利用职务之便", "利用职务便利"), ("多次", "好几次"), ("金额约", "涉及金额大约"), ("收受", "收了"), ("违规", "违反规定"),
         ("群众", "老百姓"), ("亲属", "亲戚"), ("负责人", "老板"), ("经常", "常常"), ("长期", "一直"), ("共计", "总共"),
         ("指定", "内定"), ("拖延", "拖了"), ("请巡察组调查核实。", "恳请巡察组核查。")]  # fmt: skip


def petition(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + rng.choice(["某", "某某", "X"])
    act = rng.choice(ACTS).format(
        n=rng.randint(2, 300),
        p=rng.choice(PROJECTS),
        p2=rng.choice(POSTS),
        place=rng.choice(PLACES),
        k=rng.randint(2, 12),
    )
    second = rng.choice(ACTS).format(
        n=rng.randint(2, 300),
        p=rng.choice(PROJECTS),
        p2=rng.choice(POSTS),
        place=rng.choice(PLACES),
        k=rng.randint(2, 12),
    )
    year = rng.randint(2018, 2024)
    return (
        f"{rng.choice(OPENERS)}{rng.choice(UNITS)}{rng.choice(POSTS)}{name}{year}年以来{act}；"
        f"另外该人还{second}。{rng.choice(CLOSERS)}"
    )


def paraphrase(text: str, rng: random.Random) -> str:
    """The same report told again: a few words swapped, clauses reordered, an opener or closer changed."""
    out = text
    for a, b in rng.sample(SWAPS, len(SWAPS)):
        if a in out and rng.random() < 0.7:
            out = out.replace(a, b, 1)
    head, sep, tail = out.partition("；另外该人还")
    if sep and rng.random() < 0.5:
        out = tail.rstrip("。") + "。此外，" + head + "。"
    return rng.choice(["", "再次", "补充"]) + out
