"""Demo on-site records: the 必谈 list of an assignment the demo walks past the site, settled through the services.

The demo's earlier rounds were worked before the platform: their interviews are not in it. Leaving the site still
needs the 必谈 list settled (fieldwork's gate holds for the system too), so the loader generates the list from
the rosters and the team leader's decision not to interview is recorded with that reason, as a user would."""

from datetime import date

from xuncha.core.actors import DEMO
from xuncha.fieldwork.choices import InterviewKind, InterviewStatus
from xuncha.fieldwork.interviews import interview_list_generate, interview_waive
from xuncha.fieldwork.models import InterviewSubject
from xuncha.planning.models import Assignment

NOT_IN_THE_PLATFORM = "演示数据：本轮谈话在平台启用前完成，谈话记录未录入本系统。"


def settle_required_interviews(assignment: Assignment, reason: str = NOT_IN_THE_PLATFORM) -> None:
    """Generate the 必谈 list and waive, with `reason`, every listed interview not recorded."""
    interview_list_generate(actor=DEMO, assignment=assignment, on=assignment.entered_on or date.today())
    pending = InterviewSubject.objects.filter(
        assignment=assignment, kind=InterviewKind.REQUIRED, status=InterviewStatus.PLANNED
    )
    for subject in pending:
        interview_waive(actor=DEMO, subject=subject, reason=reason)
