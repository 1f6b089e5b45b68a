"""The acceptance-scope check (domain.md §5.2): is the person reported on the target's leadership,
a next-level top leader or a key post? Reporters rarely write a full name, so the names and titles
written are matched tolerantly against the current roster — surname and title, surname and 某,
compound surnames, a title alone, with the unit — and the candidates (up to eight) are returned, ranked, with how
it matched in words. A suggestion only: the team decides.
"""

import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from django.db.models import Q
from django.utils import timezone

from xuncha.orgs.choices import PostKind
from xuncha.orgs.models import Organization, Position
from xuncha.petitions.triage.mentions import find_mentions
from xuncha.planning.models import Assignment


@dataclass(frozen=True)
class ScopeMatch:
    name: str
    title: str
    unit: str
    kind: str  # 领导班子成员 / 下一级主要负责人 / 重要岗位, then how the reference matched ("；…")
    score: float
    basis: str = ""  # how the reference matched, in words for the team (also folded into `kind`)
    person_id: int = 0  # the roster's person (the near-duplicate lookup compares petitions by it)


# Two-character surnames (复姓): "欧阳某某" is 欧阳 + 某某, not 欧 + 阳某某.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "宇文", "长孙", "司徒",
    "司空", "司寇", "端木", "独孤", "南宫", "西门", "闻人", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔",
    "申屠", "轩辕", "呼延", "钟离", "赫连", "百里", "东郭", "万俟", "左丘", "拓跋", "鲜于", "闾丘", "公羊", "谷梁",
    "第五", "乐正", "仲孙", "亓官", "段干", "梁丘", "微生", "羊舌", "南门",
})  # fmt: skip
# What stands for the given name in reports: 王某, 王某某, 王X, 王XX, 王*.
PLACEHOLDERS = "某XxＸｘ*＊×〇○□"
# Short forms reporters use for titles ("王董", "王总", "王某某副总"), with the written titles they stand for.
TITLE_SHORT: dict[str, tuple[str, ...]] = {
    "董": ("董事长",),
    "总": ("总经理", "总会计师", "总工程师", "总经济师"),
    "老总": ("总经理",),
    "副总": ("副总经理",),
    "总工": ("总工程师",),
    "支书": ("党支部书记", "支部书记"),
    "局": ("局长",),
    "处": ("处长",),
    "科": ("科长",),
}
TOP_LEADER_WORDS = frozenset({"一把手", "主要负责人", "主要领导"})
# How written titles end: what follows a surname is read as a title only if it ends like one.
TITLE_HEADS = (
    "长", "书记", "主任", "经理", "总", "董", "主席", "委员", "会计", "出纳", "总监", "秘书", "主管", "助理",
    "专员", "干事", "负责人", "一把手", "领导", "支书", "总工", "工程师", "会计师", "经济师",
)  # fmt: skip
# How the names of departments end ("财务部", "办公室"): a title prefixed with one is the same post.
DEPARTMENT_ENDS = ("部", "办", "室", "处", "科", "中心", "队", "所", "站", "股", "组", "委", "局", "厅", "院", "馆")
MIN_SCORE = 0.3  # below this a post is not proposed (the surname alone, with a title or unit that does not fit)
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")
_TRIM = "“”\"'‘’（）()《》，。、；：,.;:！!？?"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", "", text or "").strip(_TRIM)
    for tail in ("同志", "等人", "等"):
        text = text.removesuffix(tail)
    return text


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _surname(name: str) -> str:
    return name[:2] if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else name[:1]


def _surname_match(written: str, actual: str) -> float:
    """1 for the person's surname; 0.6 when the written one could be read from the name another way
    (欧 for 欧阳明: a single surname 欧 is possible, but he would be called 欧阳)."""
    if written == _surname(actual):
        return 1.0
    return 0.6 if actual.startswith(written) and len(actual) > len(written) else 0.0


def _looks_like_title(text: str) -> bool:
    return text in TITLE_SHORT or text in TOP_LEADER_WORDS or text.endswith(TITLE_HEADS)


def _title_parts(title: str) -> list[str]:
    """The titles of a post (党委书记、董事长 holds two), and the whole."""
    return list(dict.fromkeys([title, *(p for p in re.split(r"[、，,；;／/\s]|兼", title) if p)]))


class _Units:
    """The units of the scope (the target and its next-level units) and which of them a text names."""

    def __init__(self, target: Organization, posts: list[Position]) -> None:
        self.target = target
        self.memo: dict[tuple[str, bool], set[int]] = {}
        self.similarity: dict[tuple[str, int, bool, bool], tuple[float, str]] = {}
        self.names: dict[int, list[str]] = {}
        for org in [target, *(p.organization for p in posts)]:
            variants = [org.name, org.short_name, *(org.name.removesuffix(f) for f in LEGAL_FORMS)]
            self.names[org.pk] = [v for v in dict.fromkeys(variants) if len(v) >= 2]

    def _hit(self, text: str, org_id: int, whole: bool) -> bool:
        return any(text in n or _is_subsequence(text, n) or (whole and n in text) for n in self.names[org_id])

    def named(self, text: str, whole: bool = True) -> set[int]:
        """The target if the text names it ("集团", "市水业集团"), else the next-level units it names
        ("供水分公司"): a next-level unit's name usually starts with the target's. `whole`: the text
        may also hold more than the name ("长沙市水业集团有限公司财务部"). Remembered: a text asks often."""
        key = (text, whole)
        if key not in self.memo:
            self.memo[key] = self._named(text, whole)
        return self.memo[key]

    def _named(self, text: str, whole: bool) -> set[int]:
        if len(text) < 2:
            return set()
        if self._hit(text, self.target.pk, whole):
            return {self.target.pk}
        return {pk for pk in self.names if self._hit(text, pk, whole)}

    def place(self, text: str) -> tuple[set[int], str]:
        """A written unit, or title, as (units of the scope its beginning names, what follows): "集团财务部"
        is the target and 财务部, "供水分公司书记" the next-level unit and 书记; "财务部" names no unit."""
        for end in range(len(text), 1, -1):
            named = self.named(text[:end], whole=False)
            if named:
                return named, text[end:]
        return set(), text


def _part_score(written: str, part: str, post: Position, units: _Units) -> tuple[float, str]:
    """How well one written title fits one title of the post (1 = the same), and why."""
    if written == part:
        return 1.0, f"职务相同（{part}）"
    if written.startswith("副") and len(written) > 2 and "副" not in part:  # 王副书记 for the 书记
        score, _how = _part_score(written[1:], part, post, units)
        return (round(0.5 * score, 3), f"所写为副职“{written}”，现任{part}") if score else (0.0, "")
    if written in TITLE_SHORT:
        best = max((_part_score(full, part, post, units) for full in TITLE_SHORT[written]), key=lambda s: s[0])
        return (round(0.95 * best[0], 3), f"“{written}”为简称，{best[1]}") if best[0] else (0.0, "")
    if len(written) >= 2 and part.endswith(written):  # 书记 for 党委书记, 部长 for 财务部部长
        prefix = part[: -len(written)]
        if "副" in prefix and "副" not in written:
            return 0.7, f"习惯以“{written}”称呼副职（{part}）"
        return 0.9, f"“{written}”即{part}"
    if len(part) >= 2 and written.endswith(part):  # 集团董事长 for 董事长
        prefix = written[: -len(part)]
        named = units.named(prefix)
        if post.organization_id in named:
            return 0.95, f"单位和职务相符（{prefix}{part}）"
        if named:
            return 0.0, ""  # the title of another unit
        if prefix.endswith(DEPARTMENT_ENDS):
            return 0.7, f"职务相符（{part}），部门“{prefix}”未能核对"
        return 0.0, ""
    if len(written) >= 2 and written[0] == part[0] and written[-1] == part[-1] and _is_subsequence(written, part):
        return 0.8, f"“{written}”为{part}的简称"  # 财务部长 for 财务部部长
    return 0.0, ""


def _title_similarity(
    written: str, post: Position, units: _Units, fuzzy: bool = True, split: bool = True
) -> tuple[float, str]:
    """How well a written title fits the post's title, and why. The rules first (the same title, a short
    form, the title with its unit, a contraction); then, for what was written as a position, the
    similarity ratio of the texts when it is high (0.75 or more)."""
    key = (written, post.pk, fuzzy, split)
    if key not in units.similarity:
        units.similarity[key] = _title_similarity_of(written, post, units, fuzzy, split)
    return units.similarity[key]


def _title_similarity_of(written: str, post: Position, units: _Units, fuzzy: bool, split: bool) -> tuple[float, str]:
    if not written:
        return 0.0, ""
    if written in TOP_LEADER_WORDS:
        if post.post_kind != PostKind.TOP_LEADER:
            return 0.0, ""
        if post.organization_id != units.target.pk:
            return 0.7, f"“{written}”可指下一级单位主要负责人"
        return 0.9, f"“{written}”即主要负责人"
    parts = _title_parts(post.title)
    best = max((_part_score(written, p, post, units) for p in parts), key=lambda s: s[0])
    if best[0] == 0 and split:  # the unit, then the title: 供水分公司书记, 集团一把手
        named, rest = units.place(written)
        if rest and post.organization_id in named:
            score, how = _title_similarity(rest, post, units, fuzzy=False, split=False)
            if score:
                return min(1.0, score + 0.05), f"单位相符，{how}"
    if best[0] == 0 and fuzzy and not any(written in p or p in written for p in parts):
        ratio = max(SequenceMatcher(None, written, p).ratio() for p in parts)
        if ratio >= 0.75:
            return round(0.85 * ratio, 3), f"职务相近（“{written}”与{post.title}）"
    return best


@dataclass(frozen=True)
class _Reference:
    """One reference to a person as written: the name field (or, without one, the position field)
    read as [unit] + surname + 某某 / title, with the titles to compare."""

    text: str
    from_name: bool  # written in the name field
    surname: str
    form: str  # full 王建军 | placeholder 王某某 | surname 王 | ambiguous 王局长 or 董事长 | none
    titles: tuple[tuple[str, bool], ...]  # (title, compared also by similarity ratio)
    position: str
    unit: str = ""  # written before the name: 财务部王某, 集团王某某


def _read(text: str) -> tuple[str, str, str]:
    """(surname, form, title written after it) of a reference."""
    surname = next((c for c in COMPOUND_SURNAMES if text.startswith(c)), text[:1])
    rest = text[len(surname) :]
    stripped = rest.lstrip(PLACEHOLDERS)
    if stripped != rest:
        return surname, "placeholder", stripped
    if not rest:
        return surname, "surname", ""
    return (surname, "ambiguous", rest) if _looks_like_title(rest) else (surname, "full", "")


def _references(name: str, position: str, units: _Units, people: set[str]) -> list[_Reference]:
    position = _clean(position)
    names = [n for n in (_clean(x) for x in re.split(r"[、，,；;／/]", name or "")) if n]
    from_name = bool(names)
    if not names:
        names = [position] if position else []
    refs = []
    for written in names:
        text, unit = written, ""
        surname, form, title = _read(text)
        if form != "placeholder" and written not in people:  # a unit first: 财务部王某, 集团王某某, 财务部刘芳
            for i in range(2, len(written) - 1):
                head, tail = written[:i], written[i:]
                person = _read(tail)[1] == "placeholder" or any(tail.startswith(n) for n in people if len(n) >= 2)
                if person and (head.endswith(DEPARTMENT_ENDS) or units.named(head, False)):
                    text, unit = tail, head
                    surname, form, title = _read(tail)
                    break
        if not from_name and form not in {"placeholder", "ambiguous"}:
            form = "none"  # a position such as 出纳 or 会计 is no name
        titles: list[tuple[str, bool]] = [(title, False)] if title else []
        if from_name and position:
            titles.append((position, True))
        refs.append(_Reference(text, from_name, surname, form, tuple(titles), position, unit))
    return refs


def _holds_name(text: str, name: str, units: _Units) -> str | None:
    """What else was written with the full name (王建军董事长 → 董事长, 财务部刘芳 → ""), or None when the
    text does not name the person: 王建 is not within 王建军."""
    if text == name:
        return ""
    if len(name) < 2 or name not in text:
        return None
    head, _, tail = text.partition(name)
    if head and not (head.endswith(DEPARTMENT_ENDS) or units.named(head, False)):
        return None
    return tail if not tail or _looks_like_title(tail) else None


def _best_title(titles: tuple[tuple[str, bool], ...], post: Position, units: _Units) -> tuple[float, str]:
    found = [_title_similarity(t, post, units, fuzzy) for t, fuzzy in titles]
    return max(found, key=lambda s: s[0]) if found else (0.0, "")


def _match(ref: _Reference, post: Position, units: _Units, reads_as_title: bool, named: bool) -> tuple[float, str]:
    """The score of the post for one reference, and how it matched (`reads_as_title`: the reference
    written as a name is a post's title, as 董事长 is; `named`: it holds someone's full name)."""
    actual = post.person.name
    found: list[tuple[float, str]] = []
    # The full name (as written, or within what was written: 王建军董事长).
    extra = _holds_name(ref.text, actual, units) if ref.from_name else None
    if extra is not None:
        titles = ((extra, False),) * bool(extra) + ((ref.position, True),) * bool(ref.position)
        t, how = _best_title(titles, post, units)
        if not titles:
            found.append((1.0, "姓名相同"))
        elif t:
            found.append((1.0, f"姓名相同，{how}"))
        else:
            written = "、".join(x for x, _ in titles)
            found.append((0.9, f"姓名相同，但所写职务“{written}”与现任职务不符"))
    # Surname + 某某 and/or title: everyone of that surname, those whose title fits first.
    surname = (
        _surname_match(ref.surname, actual)
        if ref.form in {"placeholder", "surname", "ambiguous"} and not named
        else 0.0
    )
    if surname:
        read = f"姓氏“{ref.surname}”" if surname == 1.0 else f"姓名开头“{ref.surname}”（其姓为“{_surname(actual)}”）"
        if not ref.titles:
            found.append((0.5 * surname, f"仅{read}相符，未写职务，同姓者均列出"))
        else:
            t, how = _best_title(ref.titles, post, units)
            if t:
                found.append((surname * (0.5 + 0.45 * t), f"{read}相符，{how}"))
            elif not reads_as_title:
                written = "、".join(x for x, _ in ref.titles)
                found.append((0.3 * surname, f"仅{read}相符，所写职务“{written}”与现任职务不符，请核实"))
    # The position alone (财务部部长, 集团董事长, 董事长): the current holder.
    as_title = [(ref.text, False)] if ref.from_name and ref.form == "ambiguous" else []
    if ref.position:
        as_title.append((ref.position, True))
    t, how = _best_title(tuple(as_title), post, units)
    if t:
        score, how = 0.5 + 0.4 * t, f"按职务匹配，{how}"
        # A name was written, and not this person's (a title written in the name field is no name).
        title_only = ref.form == "ambiguous" and _title_similarity(ref.text, post, units, False)[0] > 0
        if ref.from_name and not title_only and not surname and extra is None:
            score, how = score * 0.6, f"{how}，但所写姓名“{ref.text}”与现任者不符"
        found.append((score, how))
    return max(found, key=lambda s: s[0]) if found else (0.0, "")


# The text is read when the fields are empty or vague; what the fields say weighs more when given.
TEXT_WEIGHT = 0.95  # of a match found only in the text, when the fields name no one
TEXT_WEIGHT_WITH_FIELDS = 0.75  # of a match found only in the text, when the fields are filled
AGREEMENT = 0.05  # added when the text names the person the fields name


def _roster(assignment: Assignment, on: date) -> list[Position]:
    """The current posts in scope: the target's leadership and key posts, its next-level units' top leaders
    and key posts (重要岗位 held in a sub-unit are in scope too)."""
    target = assignment.organization
    current = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    in_target = Q(
        organization=target, post_kind__in=[PostKind.TOP_LEADER, PostKind.LEADERSHIP_MEMBER, PostKind.KEY_POST]
    )
    next_level = Q(organization__parent=target, post_kind__in=[PostKind.TOP_LEADER, PostKind.KEY_POST])
    posts = Position.objects.filter(current & (in_target | next_level)).select_related("person", "organization")
    return list(posts.order_by("pk"))


def _best_posts(
    posts: list[Position], units: _Units, people: set[str], name: str, position: str, written_unit: str
) -> dict[int, tuple[float, str, Position]]:
    """The best score, and how, per person in scope for one written reference (name, position, unit)."""
    best: dict[int, tuple[float, str, Position]] = {}
    for ref in _references(name, position, units, people):
        unit = ref.unit or _clean(written_unit)
        unit_orgs, department = units.place(unit) if unit else (set(), "")
        # "董事长" written as a name is read as the title when a post has it: 董 is no surname then.
        reads_as_title = ref.form == "ambiguous" and any(
            _title_similarity(ref.text, p, units, False)[0] >= 0.9 for p in posts
        )
        named = ref.from_name and any(_holds_name(ref.text, p.person.name, units) is not None for p in posts)
        for post in posts:
            score, how = _match(ref, post, units, reads_as_title, named)
            if not score:
                continue
            if unit:
                in_unit = (not unit_orgs or post.organization_id in unit_orgs) and (
                    not department or department in post.title
                )
                score, how = (
                    (min(1.0, score + 0.05), f"{how}，单位相符")
                    if in_unit
                    else (score * 0.5, f"{how}，但所写单位“{unit}”与其任职单位不符")
                )
            if score > best.get(post.person_id, (0.0,))[0]:
                best[post.person_id] = (score, how, post)
    return best


def _from_text(
    text: str, posts: list[Position], units: _Units, people: set[str]
) -> dict[int, tuple[float, str, Position]]:
    """The best score per person among the references the text holds, said with the words written."""
    surnames = {_surname(p.person.name) for p in posts}
    titles = {part for p in posts for part in _title_parts(p.title)}
    best: dict[int, tuple[float, str, Position]] = {}
    for mention in find_mentions(text, people, surnames, titles, units):
        found = _best_posts(posts, units, people, mention.name, mention.position, mention.unit)
        for person_id, (score, how, post) in found.items():
            if score > best.get(person_id, (0.0,))[0]:
                best[person_id] = (score, f"正文提及“{mention.written}”：{how}", post)
    return best


def scope_matches(assignment: Assignment, content: dict[str, str], on: date | None = None) -> list[ScopeMatch]:
    """Who in the acceptance scope the report may be about: the current leadership and key posts of the
    target, the current top leaders and key posts of its next-level units (domain.md §5.2).

    Tolerant of how reports name people: the full name; surname + 某/某某/X; surname + title (王书记,
    王董, 刘部长, 欧阳主任, 王某某副总), compound surnames read whole; a position alone (财务部部长,
    集团董事长); the unit written, which raises those in it and lowers the others. The text (content["what"])
    is read the same way (`mentions.py`: 郑局长, 住建局一把手, 姓郑的), weighted below the fields when they
    are given and raising the person they name when it names them too. A reference that fits several
    people returns them all, ranked (a fitting title before the surname alone); how each matched is said in
    `basis` (and after the kind), for the team to judge."""
    on = on or timezone.localdate()
    target = assignment.organization
    posts = _roster(assignment, on)
    if not posts:
        return []
    units = _Units(target, posts)
    people = {p.person.name for p in posts}
    fields = _best_posts(
        posts, units, people, content.get("subject_name", ""), content.get("subject_position", ""),
        content.get("subject_unit", ""),
    )  # fmt: skip
    text = _from_text(content.get("what", ""), posts, units, people)
    given = any(_clean(content.get(k, "")) for k in ("subject_name", "subject_position"))
    weight = TEXT_WEIGHT_WITH_FIELDS if given else TEXT_WEIGHT
    best = dict(fields)
    for person_id, (score, how, post) in text.items():
        if person_id in fields:
            f_score, f_how, _post = fields[person_id]
            best[person_id] = (min(1.0, f_score + AGREEMENT), f"{f_how}；{how.split('：', 1)[0]}", post)
        else:
            best[person_id] = (score * weight, how, post)
    order: dict[str, int] = {PostKind.TOP_LEADER: 0, PostKind.LEADERSHIP_MEMBER: 1, PostKind.KEY_POST: 2}
    ranked = sorted(
        (v for v in best.values() if round(v[0], 2) >= MIN_SCORE),
        key=lambda v: (
            -round(v[0], 2),
            v[2].organization_id != target.pk,
            order.get(v[2].post_kind, 3),
            v[2].person.name,
        ),
    )
    matches = []
    for score, how, post in ranked[:8]:
        matches.append(
            ScopeMatch(
                post.person.name, post.title, post.organization.name, f"{_kind(post, target)}；{how}",
                round(score, 2), how, post.person_id,
            )
        )  # fmt: skip
    return matches


def _kind(post: Position, target: Organization) -> str:
    if post.organization_id == target.pk:
        return post.get_post_kind_display()
    return "下一级主要负责人" if post.post_kind == PostKind.TOP_LEADER else "下一级单位重要岗位"
