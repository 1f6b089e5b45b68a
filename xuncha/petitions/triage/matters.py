"""Near-duplicates by who and what (ADR 0022): two petitions of one assignment about the same person (as the
scope check resolves them against the roster) and the same matter (the kinds of conduct, their wording
normalised: 回扣/好处费/拿钱/红包 are one, 报销/发票/虚开 another), with the particulars they share.

Real paraphrases of one matter share few character runs, so the MinHash of `dedup.py` misses them; this
looks at what they say instead. Same person, other matter: not proposed. Same matter, other person: not
proposed. Stored only as keyed hashes (`PetitionMatter`), one per (person, matter kind or particular),
bound to the assignment, under the feature key (pinned apart from the sealing keys: rotation leaves them valid).
"""

import hashlib
import hmac
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jieba
from django.db import connection
from django.utils import timezone

from xuncha.core.sealing import feature_key
from xuncha.petitions.models import Petition, PetitionMatter
from xuncha.petitions.triage.lexicon import TERMS
from xuncha.petitions.triage.scope import ScopeMatch, scope_matches

jieba.setLogLevel(logging.WARNING)  # its dictionary loading is not worth a log line per process

# Kinds of conduct ("act") and of what it concerned ("object"), each with the words that say it.
MATTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "kickback": ("act", "收受钱物", ("回扣", "好处费", "拿钱", "收钱", "红包", "礼金", "购物卡", "消费卡", "收受",
                                   "受贿", "塞钱", "送钱", "感谢费", "辛苦费", "茶水费", "拿了", "收了", "索要", "索贿")),
    "expenses": ("act", "违规报销", ("报销", "发票", "虚开", "套取", "差旅费", "虚报", "假票", "白条")),
    "rigging": ("act", "插手招投标", ("指定中标", "内定", "围标", "串标", "中标", "亲属公司", "亲戚的公司",
                                     "承揽", "插手", "打招呼")),
    "car": ("act", "公车私用", ("公车", "公务用车", "单位车辆", "单位的车", "公家车")),
    "banquet": ("act", "公款吃喝", ("吃喝", "宴请", "请吃饭", "大吃大喝", "吃饭", "饭局", "喝酒", "茅台")),
    "hiring": ("act", "违规用人", ("提拔", "选人用人", "跑官", "任用", "招聘", "进人", "老乡", "拉票", "编制")),
    "welfare": ("act", "低保救助", ("低保", "优亲厚友", "救助", "五保", "特困", "人情保")),
    "compensation": ("act", "征拆补偿", ("拆迁", "补偿款", "征地", "虚报面积", "补偿")),
    "absence": ("act", "不在岗", ("不在岗", "脱岗", "不上班", "旷工", "上班时间", "在岗")),
    "gambling": ("act", "赌博", ("赌博", "打牌", "麻将", "赌钱", "牌局")),
    "affair": ("act", "不正当关系", ("情人", "包养", "婚外情", "不正当关系", "小三", "二奶", "私生子")),
    "embezzle": ("act", "侵占挪用", ("挪用", "侵占", "贪污", "私分", "截留", "克扣")),
    "shirking": ("act", "推诿不作为", ("推诿", "扯皮", "不作为", "不处理", "拖延", "拖了", "不管", "踢皮球")),
    "quality": ("act", "工程质量", ("质量", "偷工减料", "降低标准", "豆腐渣", "以次充好")),
    "business": ("act", "经商办企业", ("经商", "入股", "干股", "办企业", "开公司")),
    "project": ("object", "工程项目", ("工程", "招标", "项目", "施工", "承包", "工地", "投标")),
    "funds": ("object", "资金", ("资金", "专项资金", "集体资金", "惠民资金", "扶贫款", "公款")),
}  # fmt: skip
_WORDS = {w: kind for kind, (_, _, words) in MATTERS.items() for w in words}
for _word in _WORDS:
    jieba.add_word(_word)
# Words that say nothing about which matter it is (the particulars are what is left).
_STOP_WORDS = (
    "反映 举报 实名 本人 我要 我们 他们 她们 自己 群众 老百姓 意见 很大 希望 请求 恳请 组织 巡察 巡察组 调查 核实 "
    "查处 处理 依法 依规 情况 属实 问题 以上 此外 另外 而且 还有 并且 多次 好几 几次 经常 常常 一直 长期 以来 期间 "
    "年来 之前 以前 去年 今年 前年 前几年 时候 当时 现在 目前 利用 职务 便利 之便 违规 违反 规定 金额 大约 涉及 "
    "共计 总共 左右 万元 多万 元钱 单位 领导 干部 同志 该人 此人 那个 这个 一个 其亲属 亲属 亲戚 家属 老板 负责人 "
    "局长 书记 主任 经理 一把手 通过 进行 存在 没有 就是 什么 怎么 所以 因为 但是 可是 已经 还是 或者 以及 等等 "
    "补充 再次 大家 好多 晓得 知道 平时 附近 那边 这块 这事 他的 她的 其他 其中 人员 工作 方面 相关 有关 这些 那些 一些 非常 特别 严重 恶劣 造成 影响"
)
STOP = frozenset(_STOP_WORDS.split())
MIN_SCORE = 0.7  # a person resolved less surely is not compared
WHO = "n:"  # one per person and petition: how many of the person's petitions there are
NAMES_PLACE = "w:place"  # the petition names a place (p:<stem> says which)
COVER = 0.7  # of what the query names that the person's petitions also name (weighted), the share in common
RELATIVE = 2 / 3
MAX_PEOPLE = 2
CANDIDATES = 20


def matter_kinds(text: str) -> set[str]:
    """The kinds of matter the text speaks of (MATTERS), its wording normalised."""
    return {kind for word, kind in _WORDS.items() if word in text}


def main_acts(text: str) -> set[str]:
    """The kinds of conduct the text says most about (the most of their words): what it is a petition about.
    A telling of 围标串标、亲戚的公司拿了… is about rigging, not about a kickback, though 拿了 says one."""
    said: dict[str, int] = defaultdict(int)
    for word, kind in _WORDS.items():
        if MATTERS[kind][0] == "act" and word in text:
            said[kind] += 1
    most = max(said.values(), default=0)
    return {kind for kind, n in said.items() if n == most}


_FIGURE = frozenset("零〇一二两三四五六七八九十百千万亿来多几余左右元块约近上下整")


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _names_who(word: str, known: set[str]) -> bool:
    """The word is a placeholder for a name (某某) or part of a name, title or unit of the people (住建局, 市监
    for 市场监督管理局: an abbreviation keeps the unit's characters in order) — it says who, not what."""
    return "某" in word or any(word in k or _is_subsequence(word, k) for k in known)


# How a place or a company is written after its own name (新塘村, 朝阳社区, 宏达建设公司, 跳马工业园): the name
# (its stem) is what two tellings share — 新塘村 and 新塘那边, 洞井产业园 and 洞井园区.
PLACE_SUFFIXES = (
    "工业园", "产业园", "物流园", "开发区", "安置区", "社区", "街道", "小区", "片区", "新区", "园区", "工地", "公司",
    "集团", "大道", "村", "镇", "乡", "组", "路", "街", "区", "园",
)  # fmt: skip
# Characters that stand before a name without being part of it (jieba glues them on unknown names: 搞金鹰).
_BEFORE = frozenset("在搞把给到去从对向跟和与被往")


def _place_stem(word: str) -> str:
    """新塘村 → 新塘, 圭白路工地 → 圭白; a stem keeps at least two characters (道路, 公园 stay)."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in PLACE_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word, stripped = word[: -len(suffix)], True
                break
    return word


# Single characters that are not part of a name (的, 了, 他, 说…).
_FUNCTION = frozenset("的了地得着过也都就又还才很那这其他她它我你说是有个及或将让以为而但再")


def _is_content(word: str) -> bool:
    return (
        bool(word)
        and all("\u4e00" <= c <= "\u9fff" for c in word)
        and word not in STOP
        and word not in _WORDS
        and word not in _FUNCTION
        and word not in _BEFORE
    )


def _rare(word: str) -> bool:
    """Not a common word of the dictionary (塘村, 白路 are pieces of names; 道路, 公园, 小区 are words)."""
    return (jieba.get_FREQ(word) or 0) < 20


def _words(text: str) -> tuple[list[str], set[str]]:
    """jieba's words, with unknown place names put back together the same way in every telling: a character
    glued on (搞金鹰, 村老旧) split off; a place written with its suffix (金鹰/村, 新/塘村, 牛角/冲/社区) joined
    with the pieces of its name before it and reduced to its stem (金鹰, 新塘, 牛角冲 — and 牛角, as a shorter
    telling cuts it), so that 新塘村 and 新塘那边 share 新塘."""
    words: list[str] = []
    for word in jieba.lcut(text):
        word = word.strip()
        if len(word) >= 2 and _rare(word) and (word[0] in _BEFORE or word[0] in "村镇乡"):
            words.extend((word[0], word[1:]))
        elif word:
            words.append(word)
    out: list[str] = []
    places: set[str] = set()
    for i, word in enumerate(words):
        suffixed = word in PLACE_SUFFIXES or (
            _rare(word) and any(word.endswith(s) and len(word) - len(s) == 1 for s in PLACE_SUFFIXES)
        )
        if not suffixed:
            out.append(word)
            continue
        name, j = word, i
        # The pieces of the name before the suffix: until the stem has two characters and no single one is left.
        while j > 0 and _is_content(words[j - 1]) and (len(_place_stem(name)) < 2 or len(words[j - 1]) == 1):
            j -= 1
            name = words[j] + name
        stem = _place_stem(name)
        if len(stem) >= 2 and stem not in PLACE_SUFFIXES:
            out.append(stem)
            places.add(stem)
    return out, places


def particulars(text: str, people: list[ScopeMatch] | None = None) -> set[str]:
    """The words that tell one matter from another of the same kind: the project, the place, the company —
    what remains of the text's words without the matter words, the lexicon, names, titles, units (also
    abbreviated), figures (rewritten from one telling to the next: 二十来万, 20万左右) and stop words; places
    by their stems (`_words`)."""
    return particulars_and_places(text, people)[0]


def particulars_and_places(text: str, people: list[ScopeMatch] | None = None) -> tuple[set[str], set[str]]:
    """(particulars, those of them written as places: 新塘村, 朝阳社区, 宏达建设公司)."""
    known = {x for p in people or [] for x in (p.name, p.unit, p.title) if x}
    words, places = _words(text or "")
    out = set()
    for word in words:
        if len(word) < 2 or word in STOP or word in _WORDS or word in TERMS or word.isdigit():
            continue
        if _names_who(word, known) or word[-1] in "长记任理" or not any("\u4e00" <= c <= "\u9fff" for c in word):
            continue
        if all(c in _FIGURE or c.isdigit() for c in word):
            continue
        out.add(word)
    return out, places & out


def _hash(key: bytes, assignment_id: int, person_id: int, what: str) -> int:
    message = f"matter\x00{assignment_id}\x00{person_id}\x00{what}".encode()
    return int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:8], "big", signed=True)


def resolved_people(matches: list[ScopeMatch], text: str = "") -> list[ScopeMatch]:
    """The people the petition is surely about: the best match and any as sure, resolved well enough. Of
    people as sure, those whose name or whole title the text writes are kept over those it only fits
    (同升街道主任: the 主任 of the street, not its 办公室主任)."""
    if not matches or matches[0].score < MIN_SCORE:
        return []
    top = matches[0].score
    sure = [m for m in matches if m.score >= max(MIN_SCORE, top - 0.05) and m.person_id]
    written = {m.person_id: w for m in sure if (w := _written(m, text))}
    # A title written within a longer one written for another (主任 in 办公室主任) is not this one's.
    kept = [
        m
        for m in sure
        if m.person_id in written
        and not any(written[m.person_id] in o != written[m.person_id] for o in written.values())
    ]
    return (kept if 0 < len(kept) < len(sure) else sure)[:MAX_PEOPLE]


def _written(match: ScopeMatch, text: str) -> str:
    """How the text writes the person: "·" for the name, else the longest part of the title written ("")."""
    if match.name and match.name in text:
        return "·"
    parts = [t.strip() for t in match.title.replace("、", "，").split("，")]
    return max((t for t in parts if len(t) >= 2 and t in text), key=len, default="")


def matter_features(
    assignment_id: int, person_ids: list[int], text: str, details: set[str], places: set[str] | None = None
) -> dict[int, str]:
    """{keyed hash: what it stands for} of one petition: per person, that it is about the person (to count
    the person's petitions), each matter kind, the main acts (what it says most about), each particular, and
    which of them are places (and that it names one)."""
    kinds, main = sorted(matter_kinds(text)), sorted(main_acts(text))
    labels = [WHO] + [f"k:{k}" for k in kinds] + [f"m:{k}" for k in main] + [f"d:{d}" for d in sorted(details)]
    places = (places or set()) & details
    labels += [f"p:{p}" for p in sorted(places)] + ([NAMES_PLACE] if places else [])
    return _features(assignment_id, person_ids, labels)


def _features(assignment_id: int, person_ids: list[int], labels: list[str]) -> dict[int, str]:
    key = feature_key()
    return {_hash(key, assignment_id, pid, label): f"{pid}|{label}" for pid in person_ids for label in labels}


def _people_and_text(petition: Petition, content: dict[str, str]) -> tuple[list[ScopeMatch], str]:
    on = timezone.localdate(petition.received_at) if petition.received_at else None
    text = content.get("what", "")
    return resolved_people(scope_matches(petition.assignment, content, on=on), text), text


def index_matters(petition: Petition, content: dict[str, str]) -> None:
    """(Re)write the petition's who-and-what features (internal side only)."""
    people, text = _people_and_text(petition, content)
    PetitionMatter.objects.filter(petition=petition).delete()
    if not people or not any(MATTERS[k][0] == "act" for k in matter_kinds(text)):
        return
    details, places = particulars_and_places(text, people)
    features = matter_features(petition.assignment_id, [p.person_id for p in people], text, details, places)
    PetitionMatter.objects.bulk_create(
        PetitionMatter(
            petition=petition, assignment_id=petition.assignment_id, received_at=petition.received_at, feature=h
        )
        for h in sorted(features)
    )


@dataclass(frozen=True)
class MatterMatch:
    petition_id: int
    similarity: float
    reason: str


def _decode(label: str) -> tuple[int, str, str]:
    pid, _, rest = label.partition("|")
    kind, _, value = rest.partition(":")
    return int(pid), kind, value


@dataclass(frozen=True)
class MatterReview:
    """Who-and-what duplicates, and which of the textually similar petitions are about someone else."""

    matches: list[MatterMatch]
    about_others: set[int]


def matter_duplicates(
    petition: Petition,
    content: dict[str, str],
    scope: list[ScopeMatch] | None = None,
    similar: list[int] | None = None,
) -> MatterReview:
    """Earlier petitions of the assignment about a person this one is surely about, on the same matter: the
    same kinds of conduct (at least half in common, and what each says most about in common) and, where both
    name particulars, what they name: of the particulars this one names that the person's earlier petitions
    also name, most in common (`COVER`, each weighted by how few of the person's petitions name it: a word
    of many of them says little), and where both say where, the same place. Of those, the ones sharing the
    most (at least `RELATIVE` of the best). Of `similar` (found by their wording), those resolved to other
    people only are named in `about_others`."""
    if scope is None:
        people, text = _people_and_text(petition, content)
    else:
        text = content.get("what", "")
        people = resolved_people(scope, text)
    if not people:
        return MatterReview([], set())
    kinds = matter_kinds(text)
    acts = {k for k in kinds if MATTERS[k][0] == "act"}
    main = main_acts(text)
    details, written_places = particulars_and_places(text, people)
    ids = [p.person_id for p in people]
    mine = matter_features(petition.assignment_id, ids, text, details) if acts else {}
    # Every kind of every person, and each particular as a place, to read what the candidates hold (their
    # other particulars stay unread).
    labels = [f"{t}:{k}" for k in MATTERS for t in "km"] + [f"p:{d}" for d in sorted(details)] + [NAMES_PLACE]
    legend = {**_features(petition.assignment_id, ids, labels), **mine}
    counted = [h for h, label in legend.items() if label.partition("|")[2][:2] in ("d:", "p:")]
    who = [h for h, label in legend.items() if label.partition("|")[2] == WHO]
    probe = [h for h in legend if h in mine and h not in who] + [h for h in counted if h not in mine]
    shared, named = _shared(petition, probe, counted, who) if mine else ([], {})
    theirs: dict[int, list[str]] = defaultdict(list)
    unread: dict[int, int] = defaultdict(int)  # rows not decoded: particulars not shared (or other people's)
    rows = PetitionMatter.objects.filter(petition_id__in=[*shared, *(similar or [])]).values_list(
        "petition_id", "feature"
    )
    indexed = set()
    for pk, feature in rows:
        indexed.add(pk)
        if feature in legend:
            theirs[pk].append(legend[feature])
        else:
            unread[pk] += 1
    about_others = {pk for pk in similar or [] if pk in indexed and not theirs[pk]}
    names = {p.person_id: p.name for p in people}
    # How many of each person's earlier petitions name each particular (and the person at all).
    times = {legend[h]: n for h, n in named.items()}
    found: list[tuple[float, MatterMatch]] = []
    for pk in shared:
        for pid in ids:
            held = [_decode(label)[1:] for label in theirs[pk] if _decode(label)[0] == pid]
            other_kinds = {v for k, v in held if k == "k"}
            other_main = {v for k, v in held if k == "m"}
            other_acts = {k for k in other_kinds if MATTERS[k][0] == "act"}
            common_acts = acts & other_acts
            common_details = {v for k, v in held if k == "d"} & details
            if not common_acts or len(common_acts) / len(acts | other_acts) < 0.5:
                continue  # the same person, another matter
            if other_main and not main & other_main:
                continue  # the same person, another matter that the one also touches on (拿了 in a rigging)
            if details and not common_details and (len(details) >= 2 or unread[pk]):
                continue  # the same kind of matter, other particulars
            # Where each says where (a place written so, or a word the person's petitions write as a place),
            # the same place: 荷花村 and 荷花那边, not 白沙村.
            places = {d for d in details if d in written_places or times.get(f"{pid}|p:{d}")}
            if places and any(k == "w" for k, _ in held) and not {v for k, v in held if k == "p"} & places:
                continue  # the same kind of matter somewhere else
            weight = _weights(details, times, pid)
            if weight and sum(weight.get(d, 0.0) for d in common_details) < COVER * sum(weight.values()):
                continue  # it names what the person's other petitions name, not this one
            cover = sum(weight.get(d, 0.0) for d in common_details) / sum(weight.values()) if weight else 0.0
            overlap = len(kinds & other_kinds) / len(kinds | other_kinds)
            similarity = round(0.55 * overlap + 0.45 * cover, 2)
            said = "、".join(MATTERS[k][1] for k in sorted(kinds & other_kinds))
            reason = f"被反映人同为{names[pid]}，反映事项相同（{said}）"
            if common_details:
                reason += "，均提及" + "、".join(f"“{d}”" for d in sorted(common_details)[:4])
            found.append((sum(weight.get(d, 0.0) for d in common_details), MatterMatch(pk, similarity, reason)))
            break
    # Where some share more of what is named (the place and the project), those sharing much less (the
    # project alone) are the same kind of matter somewhere else.
    best = max((n for n, _ in found), default=0.0)
    kept = [m for n, m in found if n >= RELATIVE * best]
    return MatterReview(sorted(kept, key=lambda m: -m.similarity), about_others)


def _weights(details: set[str], times: dict[str, int], pid: int) -> dict[str, float]:
    """{particular: weight} of the query's particulars that the person's earlier petitions name: the fewer of
    them name it, the more it says (log (n + 1) / named, n the person's earlier petitions)."""
    n = times.get(f"{pid}|{WHO}", 0)
    return {d: math.log((n + 1) / k) for d in details if (k := times.get(f"{pid}|d:{d}", 0)) and k <= n}


def _shared(
    petition: Petition, hashes: list[int], counted: list[int], who: list[int]
) -> tuple[list[int], dict[int, int]]:
    """The earlier petitions of the assignment holding most of `hashes`, most first, and how many earlier
    petitions hold each of `counted` and of `who` (one statement on the covering index)."""
    table = PetitionMatter._meta.db_table
    received = connection.ops.adapt_datetimefield_value(petition.received_at or datetime.max)

    def among(values: list[int]) -> tuple[str, list[Any]]:
        if connection.vendor == "postgresql":
            return "feature = ANY(%s::bigint[])", [values]
        return f"feature IN ({', '.join(['%s'] * len(values)) or 'NULL'})", list(values)

    probe, probe_params = among(hashes)
    wanted, wanted_params = among(counted)
    persons, persons_params = among(who)
    earlier = "assignment_id = %s AND received_at <= %s AND petition_id <> %s"
    bounds = [petition.assignment_id, received, petition.pk or 0]
    sql = (
        f"WITH hits AS (SELECT petition_id, feature FROM {table} WHERE {earlier} AND {probe}), "  # noqa: S608
        "top AS (SELECT petition_id, COUNT(*) AS n FROM hits GROUP BY petition_id ORDER BY n DESC, petition_id LIMIT %s) "
        "SELECT 0, petition_id, n FROM top "
        f"UNION ALL SELECT 1, feature, COUNT(*) FROM hits WHERE {wanted} GROUP BY feature "
        f"UNION ALL SELECT 1, feature, COUNT(*) FROM {table} WHERE {earlier} AND {persons} GROUP BY feature"
    )
    params = [*bounds, *probe_params, CANDIDATES, *wanted_params, *bounds, *persons_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    top = sorted((r for r in rows if r[0] == 0), key=lambda r: (-r[2], r[1]))
    return [r[1] for r in top], {r[1]: r[2] for r in rows if r[0] == 1}
