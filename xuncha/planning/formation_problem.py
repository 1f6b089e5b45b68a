"""The data of a formation problem and of its answer: plain dataclasses, free of the solver and the database."""

from dataclasses import dataclass, field
from datetime import date

from xuncha.planning.recusal import Conflict

NUMERALS = "一二三四五六七八九十"


def team_name(seq: int, activity: str = "巡察") -> str:
    """第一巡察组 … 第十二巡察组 (第一巡视组 for a provincial or central committee's 巡视)."""
    if seq <= 10:
        return f"第{NUMERALS[seq - 1]}{activity}组"
    if seq < 20:
        return f"第十{NUMERALS[seq - 11]}{activity}组"
    tens, ones = divmod(seq, 10)
    return f"第{NUMERALS[tens - 1]}十{NUMERALS[ones - 1] if ones else ''}{activity}组"


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    leader_pool: bool
    skills: frozenset[str]
    load: int = 0
    busy: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class Slot:
    assignment_id: int
    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and start <= self.end


@dataclass
class FormationProblem:
    team_count: int
    slots: list[Slot]
    candidates: list[Candidate]
    conflicts: list[Conflict] = field(default_factory=list)
    size_min: int = 5
    size_max: int = 7
    deputies_max: int = 2
    required_skills: list[frozenset[str]] = field(default_factory=list)
    skill_labels: dict[str, str] = field(default_factory=dict)
    past_pairs: set[tuple[int, int]] = field(default_factory=set)
    pinned_people: dict[int, int] = field(default_factory=dict)  # person → team index
    pinned_slots: dict[int, int] = field(default_factory=dict)  # assignment → team index
    pinned_leaders: dict[int, int] = field(default_factory=dict)  # team index → person
    excluded: set[int] = field(default_factory=set)
    time_limit: float = 10.0
    workers: int = 6  # CP-SAT portfolio size (more strategies than cores still helps it prove bounds)


@dataclass
class TeamProposal:
    seq: int
    name: str
    leader_id: int
    deputy_ids: list[int]
    member_ids: list[int]  # everyone, leader and deputies included
    assignment_ids: list[int]


@dataclass
class FormationResult:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    teams: list[TeamProposal] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    spread: int | None = None  # on-site days between the busiest and the least busy team
    spread_bound: int | None = None

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return 0.0 if self.objective == 0 else abs(self.objective - self.bound) / abs(self.objective)
