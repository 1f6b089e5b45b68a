"""The online 民主测评/问卷 (the second QR code): anonymous answers, shown only in aggregate."""

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xuncha.fieldwork.announcements import intake_state_now
from xuncha.fieldwork.models import Announcement, SurveyResponse
from xuncha.planning.models import Assignment

OPTIONS = ["好", "较好", "一般", "差", "不了解"]
QUESTIONS = [
    ("leadership", "对领导班子履行全面从严治党主体责任情况的评价"),
    ("democratic_centralism", "对领导班子执行民主集中制情况的评价"),
    ("cadres", "对本单位选人用人工作的评价"),
    ("conduct", "对本单位作风建设情况的评价"),
    ("top_leader", "对主要负责人的总体评价"),
]
MIN_SHOWN = 5  # fewer sheets than this are not shown, so no single answer can be singled out


@transaction.atomic
def survey_submit(*, announcement: Announcement, answers: dict[str, str]) -> SurveyResponse:
    """Take one anonymous sheet while the announcement's public channel is open."""
    open_, why = intake_state_now(announcement)
    if not open_:
        raise ValidationError(why)
    clean = {}
    for code, text in QUESTIONS:
        value = answers.get(code, "")
        if value not in OPTIONS:
            raise ValidationError(f"请对“{text}”作出选择。")
        clean[code] = value
    return SurveyResponse.objects.create(
        assignment_id=announcement.assignment_id, answers=clean, received_on=timezone.localdate()
    )


def survey_summary(assignment: Assignment) -> dict[str, Any]:
    """Counts per question and option, or only the number of sheets while it is below MIN_SHOWN."""
    sheets = list(SurveyResponse.objects.filter(assignment=assignment).values_list("answers", flat=True))
    if len(sheets) < MIN_SHOWN:
        return {"total": len(sheets), "shown": False, "rows": []}
    rows = []
    for code, text in QUESTIONS:
        counts = Counter(sheet.get(code) for sheet in sheets)
        good = counts["好"] + counts["较好"]
        rows.append(
            {"text": text, "counts": [counts[o] for o in OPTIONS], "good_share": round(100 * good / len(sheets), 1)}
        )
    return {"total": len(sheets), "shown": True, "rows": rows}
