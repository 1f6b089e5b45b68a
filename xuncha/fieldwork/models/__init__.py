"""Entry and on-site work: the announcement and survey, the entry meetings and the on-site records."""

from xuncha.fieldwork.models.announcements import Announcement, SurveyResponse
from xuncha.fieldwork.models.onsite import (
    DocumentItem,
    DocumentRequest,
    EntryMeeting,
    InterviewRecord,
    InterviewSubject,
    MeetingAttendee,
    UrgentReport,
    WeeklyReport,
    WorkActivity,
)

__all__ = [
    "Announcement",
    "DocumentItem",
    "DocumentRequest",
    "EntryMeeting",
    "InterviewRecord",
    "InterviewSubject",
    "MeetingAttendee",
    "SurveyResponse",
    "UrgentReport",
    "WeeklyReport",
    "WorkActivity",
]
