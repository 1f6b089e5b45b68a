"""The team's on-site workspace per assignment (entry meetings, interviews, document requests, other records,
weekly and urgent reports) and the office's read-only archive of it. Plain views: the access rule, a form,
the service or selector; sealed text is opened only by the services, which audit it."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.access import AppRequest, roles_required
from xuncha.core.downloads import download
from xuncha.core.roles import OFFICE_ROLES, Role
from xuncha.fieldwork import onsite_forms as f
from xuncha.fieldwork.documents import document_list_docx, interview_record_docx
from xuncha.fieldwork.entry import attendance_generate, meeting_save
from xuncha.fieldwork.interviews import (
    interview_list_generate,
    interview_record,
    interview_record_open,
    interview_subject_add,
    interview_waive,
)
from xuncha.fieldwork.models import DocumentRequest, EntryMeeting, InterviewRecord
from xuncha.fieldwork.records import activity_record, document_give_back, document_hand_over, document_request_create
from xuncha.fieldwork.selectors import (
    onsite_assignment,
    onsite_assignments,
    onsite_record_get,
    urgent_report_get,
    workspace,
)
from xuncha.fieldwork.weekly import urgent_answer, urgent_report_open, urgent_report_send, weekly_report_submit
from xuncha.planning.models import Assignment
from xuncha.planning.permissions import serves_on_team

OFFICE = tuple(OFFICE_ROLES)

Action = tuple[type[f.TeamForm] | None, Callable[[Any, Assignment, dict[str, Any]], object], str]

# Each workspace action: its form, the service call, the message on success.
ACTIONS: dict[str, Action] = {
    "meeting": (f.MeetingForm, lambda u, a, d: meeting_save(actor=u, assignment=a, **d), "会议情况已登记。"),
    "attendance": (
        None,
        lambda u, a, d: attendance_generate(actor=u, meeting=_mobilization(a)),
        "动员会参会名单已按名册生成。",
    ),
    "interview_list": (
        None,
        lambda u, a, d: interview_list_generate(actor=u, assignment=a, on=a.entered_on or _today()),
        "必谈名单已按名册生成。",
    ),
    "subject": (f.SubjectForm, lambda u, a, d: interview_subject_add(actor=u, assignment=a, **d), "选谈对象已增加。"),
    "interview": (
        f.InterviewForm,
        lambda u, a, d: interview_record(actor=u, **{**d, "interviewers": list(d["interviewers"])}),
        "谈话记录已录入。",
    ),
    "waive": (f.WaiveForm, lambda u, a, d: interview_waive(actor=u, **d), "已确定不再谈话。"),
    "activity": (
        f.ActivityForm,
        lambda u, a, d: activity_record(actor=u, assignment=a, **{**d, "participants": list(d["participants"])}),
        "了解工作已登记。",
    ),
    "document_request": (
        f.DocumentRequestForm,
        lambda u, a, d: document_request_create(actor=u, assignment=a, **d),
        "调阅清单已提出。",
    ),
    "hand_over": (f.HandOverForm, lambda u, a, d: document_hand_over(actor=u, **d), "调入交接已办理。"),
    "give_back": (f.GiveBackForm, lambda u, a, d: document_give_back(actor=u, **d), "归还交接已办理。"),
    "weekly": (f.WeeklyForm, lambda u, a, d: weekly_report_submit(actor=u, assignment=a, **d), "周报已报送。"),
    "urgent": (f.UrgentForm, lambda u, a, d: urgent_report_send(actor=u, assignment=a, **d), "已请示报告。"),
}


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _mobilization(assignment: Assignment) -> EntryMeeting:
    meeting = EntryMeeting.objects.filter(assignment=assignment, kind="mobilization").first()
    if meeting is None:
        raise ValidationError("请先登记进驻动员会。")
    return meeting


def _assignment(request: AppRequest, assignment_pk: int) -> Assignment:
    assignment = onsite_assignment(request.user, assignment_pk)
    if assignment is None:
        raise Http404
    return assignment


def _forms(assignment: Assignment, bound: tuple[str, f.TeamForm] | None = None) -> dict[str, Any]:
    forms = {name: spec[0](assignment=assignment) for name, spec in ACTIONS.items() if spec[0] is not None}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


@roles_required(*OFFICE, also=serves_on_team)
@require_GET
def workspace_list(request: AppRequest) -> HttpResponse:
    """The assignments whose on-site records this user keeps (the team) or reads (the office)."""
    found = onsite_assignments(request.user).order_by("-planned_entry", "pk")
    return render(request, "fieldwork/onsite_list.html", {"assignments": found})


@roles_required(*OFFICE, also=serves_on_team)
@require_GET
def workspace_page(request: AppRequest, assignment_pk: int) -> HttpResponse:
    """The on-site workspace of one assignment."""
    assignment = _assignment(request, assignment_pk)
    context = {**workspace(request.user, assignment), "forms": _forms(assignment)}
    return render(request, "fieldwork/onsite_workspace.html", context)


@roles_required(*OFFICE, also=serves_on_team)
@require_POST
def workspace_action(request: AppRequest, assignment_pk: int, action: str) -> HttpResponse:
    """One write from the workspace, through its service (which refuses outsiders in Chinese)."""
    if action not in ACTIONS:
        raise Http404
    assignment = _assignment(request, assignment_pk)
    form_class, perform, done = ACTIONS[action]
    form = form_class(request.POST, assignment=assignment) if form_class else None
    if form is None or form.is_valid():
        try:
            perform(request.user, assignment, form.cleaned_data if form else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, "；".join(exc.messages))
                return redirect("fieldwork:workspace_page", assignment.pk)
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("fieldwork:workspace_page", assignment.pk)
    assert form is not None
    context = {**workspace(request.user, assignment), "forms": _forms(assignment, (action, form)), "open": action}
    return render(request, "fieldwork/onsite_workspace.html", context, status=400)


@roles_required(*OFFICE, also=serves_on_team)
@require_GET
def interview_read(request: AppRequest, pk: int) -> HttpResponse:
    """One interview record, opened (and audited) by the service."""
    record = onsite_record_get(request.user, InterviewRecord, pk, "subject__assignment")
    if record is None:
        raise Http404
    text = interview_record_open(actor=request.user, record=record)
    if request.GET.get("format") == "docx":
        return download(
            interview_record_docx(record, text),
            f"{record.subject.name}谈话记录.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    return render(request, "fieldwork/interview_read.html", {"record": record, "text": text})


@roles_required(*OFFICE, also=serves_on_team)
@require_GET
def document_list_file(request: AppRequest, pk: int) -> HttpResponse:
    """The 调阅清单 as .docx."""
    found = onsite_record_get(request.user, DocumentRequest, pk)
    if found is None:
        raise Http404
    return download(
        document_list_docx(found),
        f"调阅清单第{found.number}号.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@roles_required(*OFFICE, Role.LEADING_GROUP, also=serves_on_team)
@require_http_methods(["GET", "POST"])
def urgent_read(request: AppRequest, pk: int) -> HttpResponse:
    """One 请示报告 with its answer; the office or the leading group records the answer here."""
    report = urgent_report_get(request.user, pk)
    if report is None:
        raise Http404
    form = f.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            urgent_answer(actor=request.user, report=report, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "批示意见已录入。")
            return redirect("fieldwork:urgent_read", report.pk)
    content, answer = urgent_report_open(actor=request.user, report=report)
    return render(request, "fieldwork/urgent_read.html", {"report": report, "content": content, "answer": answer,
                                                          "form": form})  # fmt: skip
