"""The weekly report (周报) computed from the records, and the urgent report (请示报告) to the leading group.

The counts of petitions and problems belong to higher apps: fieldwork cannot import them, so they register a
counter here (`register_weekly_counter`) from their AppConfig.ready(); the report shows what is registered."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.params import param_value
from xuncha.core.transitions import transition_perform
from xuncha.core.workdays import add_working_days, is_working_day
from xuncha.fieldwork.choices import Method, UrgentAddressee, UrgentMatter
from xuncha.fieldwork.interviews import lock_on_site
from xuncha.fieldwork.machines import URGENT_MACHINE
from xuncha.fieldwork.models import DocumentItem, InterviewRecord, UrgentReport, WeeklyReport, WorkActivity
from xuncha.fieldwork.permissions import onsite_write_check, urgent_answer_check, urgent_read_check
from xuncha.planning.models import Assignment

# A counter: (assignment, first day, last day) → a number, or a mapping of label → number (by category).
Counter = Callable[[Assignment, date, date], int | dict[str, int]]


@dataclass(frozen=True)
class WeeklyCounter:
    key: str
    label: str
    count: Counter


_COUNTERS: dict[str, WeeklyCounter] = {}


def register_weekly_counter(key: str, label: str, count: Counter) -> None:
    """Add a line to every weekly report (from a higher app's ready(): petitions, problems by category)."""
    _COUNTERS.setdefault(key, WeeklyCounter(key, label, count))


def _interviews(a: Assignment, first: date, last: date) -> int:
    return InterviewRecord.objects.filter(subject__assignment=a, held_on__range=(first, last)).count()


def _documents(a: Assignment, first: date, last: date) -> int:
    items = DocumentItem.objects.filter(request__assignment=a, request__received_on__range=(first, last))
    return sum(items.values_list("copies", flat=True))


def _visits(a: Assignment, first: date, last: date) -> int:
    return WorkActivity.objects.filter(assignment=a, method=Method.FIELD_VISIT, held_on__range=(first, last)).count()


def _other_methods(a: Assignment, first: date, last: date) -> int:
    found = WorkActivity.objects.filter(assignment=a, held_on__range=(first, last))
    return found.exclude(method=Method.FIELD_VISIT).count()


register_weekly_counter("interviews", "个别谈话（人次）", _interviews)
register_weekly_counter("documents", "调阅资料（份、册）", _documents)
register_weekly_counter("visits", "下沉走访（次）", _visits)
register_weekly_counter("other_methods", "听取汇报、座谈、列席会议等（次）", _other_methods)


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def weekly_counts(assignment: Assignment, week_start: date) -> list[tuple[str, int | dict[str, int]]]:
    """Each registered counter's label and value for the week starting `week_start` (Monday to Sunday)."""
    last = week_start + timedelta(days=6)
    return [(c.label, c.count(assignment, week_start, last)) for c in _COUNTERS.values()]


def weekly_due(assignment: Assignment, week_start: date) -> date:
    """The day the week's report is due: the configured weekday, moved to the next working day if it is not one."""
    committee = assignment.round.committee
    weekday = int(param_value("weekly_report_weekday", committee=committee))
    due = week_start + timedelta(days=weekday - 1)
    return due if is_working_day(due, committee=committee) else add_working_days(due, 1, committee=committee)


@transaction.atomic
def weekly_report_submit(
    *, actor: Actor, assignment: Assignment, week_start: date, next_week_plan: str
) -> WeeklyReport:
    """Submit the week's 周报: the counts computed from the records now, frozen with next week's plan."""
    onsite_write_check(actor, assignment, leader=True)
    assignment = lock_on_site(assignment, "报送周报")
    week_start = week_of(week_start)
    today = timezone.localdate()
    if week_start > today:
        raise ValidationError("不能报送尚未开始的一周。")
    if not next_week_plan.strip():
        raise ValidationError("请填写下周工作安排。")
    if WeeklyReport.objects.filter(assignment=assignment, week_start=week_start).exists():
        raise ValidationError(f"{week_start:%Y年%m月%d日}当周的周报已报送。")
    counts = [[label, value] for label, value in weekly_counts(assignment, week_start)]
    report = WeeklyReport.objects.create(
        assignment=assignment,
        week_start=week_start,
        counts=counts,
        next_week_plan=next_week_plan.strip(),
        submitted_on=today,
        created_by=account_of(actor),
    )
    audit_record(
        action="fieldwork.weekly_report_submit",
        actor=actor,
        target=report,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：报送{week_start:%m月%d日}当周周报",
    )
    return report


@transaction.atomic
def urgent_report_send(
    *, actor: Actor, assignment: Assignment, matter: str, addressee: str, content: str
) -> UrgentReport:
    """请示报告 from the team leader to the leading group (or the committee's top leader); the content sealed."""
    onsite_write_check(actor, assignment, leader=True)
    assignment = lock_on_site(assignment, "请示报告")
    if matter not in UrgentMatter.values or addressee not in UrgentAddressee.values:
        raise ValidationError("请选择事项类别和报告对象。")
    if not content.strip():
        raise ValidationError("请填写报告内容。")
    report = UrgentReport.objects.create(
        assignment=assignment,
        matter=matter,
        addressee=addressee,
        sent_on=timezone.localdate(),
        sealed_content=content.strip(),
        created_by=account_of(actor),
    )
    audit_record(
        action="fieldwork.urgent_report_send",
        actor=actor,
        target=report,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：向{report.get_addressee_display()}请示报告",
    )
    return report


@transaction.atomic
def urgent_report_open(*, actor: Actor, report: UrgentReport) -> tuple[str, str]:
    """The content and answer of a 请示报告, audited as it is opened."""
    assignment = report.assignment
    urgent_read_check(actor, assignment)
    audit_record(
        action="fieldwork.urgent_report_open",
        actor=actor,
        target=report,
        committee_id=assignment.round.committee_id,
        summary=f"{assignment.organization.name}：查阅请示报告",
    )
    report = UrgentReport.objects.get(pk=report.pk)
    answer = str(report.sealed_answer.open()) if report.sealed_answer else ""
    return str(report.sealed_content.open()), answer


@transaction.atomic
def urgent_answer(*, actor: Actor, report: UrgentReport, answer: str) -> UrgentReport:
    """The office or the leading group records the answer (批示) to a 请示报告."""
    capacities = urgent_answer_check(actor, report.assignment)
    report = (
        UrgentReport.objects.select_for_update(of=("self",))
        .select_related("assignment__organization")
        .get(pk=report.pk)
    )
    if not answer.strip():
        raise ValidationError("请填写批示意见。")
    report.sealed_answer, report.answered_on = answer.strip(), timezone.localdate()
    transition_perform(
        URGENT_MACHINE,
        report,
        "answer",
        actor=actor,
        capacities=capacities,
        update_fields=["sealed_answer", "answered_on"],
        committee_id=report.assignment.round.committee_id,
        summary=f"{report.assignment.organization.name}：请示报告已批示",
    )
    return report
