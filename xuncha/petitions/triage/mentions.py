"""Who a petition's text speaks of (domain.md §5.2): the people named in content["what"] — a full name of the
roster, surname + title (郑局长, 王书记, 李主任, 郑局), surname + 某 (郑某某), a unit with a title (住建局一把手,
财政局局长), 姓郑的 — read as the references a reporter would have written in the 被反映人 fields.

Only what the roster makes plausible is read: surnames of people in scope, the titles they hold and the usual
ones, the names of the units in scope (also abbreviated: 住建局 for 住房和城乡建设局). `scope.py` scores what is
found as it scores the fields, weighted lower.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# Titles reporters write (with those of the roster): the longest that fits is read.
COMMON_TITLES = (
    "局长", "副局长", "书记", "副书记", "主任", "副主任", "镇长", "副镇长", "乡长", "副乡长", "区长", "副区长", "县长",
    "副县长", "市长", "村长", "主席", "副主席", "经理", "总经理", "副总经理", "董事长", "部长", "副部长", "科长",
    "副科长", "处长", "副处长", "股长", "所长", "站长", "院长", "副院长", "校长", "副校长", "队长", "会计", "出纳",
    "总监", "主管", "负责人", "主要负责人", "主要领导", "一把手", "支书", "村支书", "老总", "副总", "总工", "馆长",
    "行长", "主任委员", "组长", "厂长",
)  # fmt: skip
# After a surname only (郑局 for 郑局长, 王总, 王董): alone they are parts of other words.
SHORT_AFTER_SURNAME = ("局", "总", "董", "处", "科")
TOP_WORDS = ("一把手", "主要负责人", "主要领导")
# What may stand before a bare 一把手 for it to mean the inspected unit's own top leader.
OWN_UNIT = ("单位", "我们", "本单位", "我单位", "该单位", "集团", "公司")
PLACEHOLDER = r"(?:某某|某|XX|X|xx|x|ＸＸ|Ｘ|\*\*|\*|＊＊|＊|××|×)"
_SPACE = re.compile(r"\s+")


class UnitNames(Protocol):
    def named(self, text: str, whole: bool = True) -> set[int]: ...


@dataclass(frozen=True)
class Mention:
    """One reference found in the text, as the fields would hold it, and the words written."""

    name: str
    position: str
    unit: str
    written: str


def _unit_before(text: str, end: int, units: UnitNames) -> str:
    """The unit written right before `end` (住建局, 区财政局的), the longest one the scope knows, or ""."""
    stop = end - 1 if end and text[end - 1] == "的" else end
    for start in range(max(0, stop - 14), stop - 1):
        window = text[start:stop]
        if len(window) >= 2 and units.named(window, whole=False):
            return window
    return ""


def _title_at(text: str, i: int, titles: tuple[str, ...]) -> str:
    return next((t for t in titles if text.startswith(t, i)), "")


def _surname_before(text: str, i: int, surnames: set[str]) -> str:
    for size in (2, 1):
        if i - size >= 0 and text[i - size : i] in surnames:
            return text[i - size : i]
    return ""


def find_mentions(
    text: str, names: Iterable[str], surnames: set[str], titles: Iterable[str], units: UnitNames
) -> list[Mention]:
    """The references to people in `text`, in order, each once (see the module docstring)."""
    text = _SPACE.sub("", text or "")
    if not text:
        return []
    known = tuple(sorted(set(COMMON_TITLES) | {t for t in titles if len(t) >= 2}, key=len, reverse=True))
    found: list[Mention] = []
    covered: set[int] = set()

    def add(name: str, position: str, start: int, end: int, unit: str = "") -> None:
        found.append(Mention(name, position, unit, (unit + text[start:end]) if unit else text[start:end]))
        covered.update(range(start, end))

    # Full names of the roster, with the title written right after (郑国强局长) and the unit before.
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if m.start() in covered:
                continue
            title = _title_at(text, m.end(), known)
            add(name + title, "", m.start(), m.end() + len(title), _unit_before(text, m.start(), units))
    pattern = "|".join(sorted((re.escape(s) for s in surnames), key=len, reverse=True))
    if pattern:
        # Surname + 某 (+ title): 郑某某, 郑某局长.
        for m in re.finditer(f"({pattern}){PLACEHOLDER}", text):
            if m.start() in covered:
                continue
            title = _title_at(text, m.end(), known)
            add(m.group(0) + title, "", m.start(), m.end() + len(title), _unit_before(text, m.start(), units))
        # 姓郑的 (+ title): the surname alone.
        for m in re.finditer(f"姓({pattern})(的)?", text):
            if m.start() in covered:
                continue
            title = _title_at(text, m.end(), known) if m.group(2) else ""
            add(m.group(1) + title, "", m.start(), m.end() + len(title))
    # Titles: after a surname (郑局长, 郑局), or after a unit (住建局一把手, 财政局局长).
    i = 0
    while i < len(text):
        title = _title_at(text, i, known) if i not in covered else ""
        surname = _surname_before(text, i, surnames) if i not in covered else ""
        if not title and surname:
            title = next((s for s in SHORT_AFTER_SURNAME if text.startswith(s, i)), "")
        if not title:
            i += 1
            continue
        end = i + len(title)
        if surname and (i - len(surname)) not in covered:
            start = i - len(surname)
            add(surname + title, "", start, end, _unit_before(text, start, units))
        elif title not in SHORT_AFTER_SURNAME:
            unit = _unit_before(text, i, units)
            if unit:
                add("", unit + title, text.rfind(unit, 0, i), end)
            elif title in TOP_WORDS and (i == 0 or not text[i - 1].isalnum() or text[:i].endswith(OWN_UNIT)):
                add("", title, i, end)
        i = end
    seen: set[tuple[str, str, str]] = set()
    out = []
    for mention in found:
        key = (mention.name, mention.position, mention.unit)
        if key not in seen:
            seen.add(key)
            out.append(mention)
    return out
