"""The report-back clock with a frozen clock across the Spring Festival: due = transfer date +
clue_feedback_due_months on the committee's working-day calendar; overdue leads are flagged, put on the
office's home page and pressed (督办); the receiver's report back reaches the office."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuncha.core.models import AuditEvent
from xuncha.core.params import param_set
from xuncha.core.tests.setup import SETUP
from xuncha.core.todo import todos_for
from xuncha.findings.leads.selectors import lead_figures, lead_list
from xuncha.findings.leads.services import is_overdue, lead_escalate, lead_report_back
from xuncha.findings.models import Lead, LeadEscalation
from xuncha.findings.tests.leads_world import RESULT, register, walk

TRANSFER_DAY = "2024-10-28 10:00:00+08:00"  # + 3 months = 2025-01-28, the first day of the Spring Festival


@pytest.fixture
def transferred(lead_world):
    with time_machine.travel(TRANSFER_DAY, tick=False):
        lead = register(lead_world)
        lead = walk(lead_world, lead, "decided")
        from xuncha.findings.leads.services import leads_transfer

        leads_transfer(actor=lead_world["director"], leads=[lead], letter_no="长巡线移〔2024〕5号",
                       transferred_on=date(2024, 10, 28), materials=["问题线索登记表"])  # fmt: skip
    return Lead.objects.get(pk=lead.pk)


def test_the_due_date_falling_in_the_spring_festival_moves_to_the_first_working_day_after_it(transferred):
    assert transferred.feedback_due == date(2025, 2, 5)
    with time_machine.travel("2025-01-29 09:00:00+08:00", tick=False):
        assert not is_overdue(transferred)  # the naive 2025-01-28 would already be overdue here
    with time_machine.travel("2025-02-05 17:00:00+08:00", tick=False):
        assert not is_overdue(transferred)
    with time_machine.travel("2025-02-06 09:00:00+08:00", tick=False):
        assert is_overdue(transferred)


def test_the_months_are_a_parameter_of_the_committee(lead_world):
    param_set(actor=SETUP, key="clue_feedback_due_months", committee=lead_world["city"], value=2)
    with time_machine.travel(TRANSFER_DAY, tick=False):
        lead = walk(lead_world, register(lead_world), "decided")
        from xuncha.findings.leads.services import leads_transfer

        leads_transfer(actor=lead_world["director"], leads=[lead], letter_no="长巡线移〔2024〕6号",
                       transferred_on=date(2024, 10, 28), materials=["问题线索登记表"])  # fmt: skip
    assert Lead.objects.get(pk=lead.pk).feedback_due == date(2024, 12, 30)  # 12-28 is a Saturday


def test_an_overdue_lead_is_flagged_on_the_office_home_page_and_pressed_by_the_director(
    transferred, lead_world, personas, client
):
    director, office = lead_world["director"], personas["city_office"]
    with time_machine.travel("2025-02-05 10:00:00+08:00", tick=False):
        with pytest.raises(ValidationError):  # not yet overdue: nothing to press
            lead_escalate(actor=director, lead=transferred)
        assert not any("超过反馈时限" in t.title for t in todos_for(office))
    with time_machine.travel("2025-02-06 10:00:00+08:00", tick=False):
        assert any(t.title == "1 条移交的问题线索超过反馈时限" and t.level == "danger" for t in todos_for(office))
        city = next(f for f in lead_figures(user=office) if f.committee.short_name == "长沙市委")
        assert city.overdue == 1  # counts only, for the office staff
        assert list(lead_list(user=director, status="overdue")) == [transferred]
        for outsider in (office, personas["discipline"], lead_world["leader"]):
            with pytest.raises(PermissionDenied):
                lead_escalate(actor=outsider, lead=transferred)
        escalation = lead_escalate(actor=director, lead=transferred, kind="placard")
        assert escalation.due_then == date(2025, 2, 5) and escalation.escalated_on == date(2025, 2, 6)
        assert AuditEvent.objects.filter(action="findings.lead_escalate").count() == 1
        client.force_login(director)
        page = client.get(reverse("findings:lead_detail", args=[transferred.pk])).content.decode()
        assert "已超过反馈时限" in page and "挂牌督办" in page
        client.force_login(personas["discipline"])
        assert client.get(reverse("findings:lead_detail", args=[transferred.pk])).status_code == 200
        assert LeadEscalation.objects.count() == 1


def test_the_receivers_report_back_is_visible_to_the_office_director_and_clears_the_flag(
    transferred, lead_world, personas, client
):
    discipline = personas["discipline"]
    with time_machine.travel("2025-02-10 10:00:00+08:00", tick=False):
        from xuncha.findings.leads.services import lead_disposal_record, lead_transfer_sign

        lead_transfer_sign(actor=discipline, transfer=transferred.transfer, on=date(2025, 2, 10))
        lead_disposal_record(actor=discipline, lead=transferred, disposal="case_filed", on=date(2025, 2, 10))
        assert is_overdue(Lead.objects.get(pk=transferred.pk))
        lead_report_back(actor=discipline, lead=transferred, on=date(2025, 2, 10), result=RESULT)
        lead = Lead.objects.get(pk=transferred.pk)
        assert lead.status == "concluded" and not is_overdue(lead)
        client.force_login(lead_world["director"])
        page = client.get(reverse("findings:lead_detail", args=[lead.pk])).content.decode()
        assert RESULT in page and "立案审查调查" in page
        city = next(f for f in lead_figures(user=personas["city_office"]) if f.committee.short_name == "长沙市委")
        assert (city.transferred, city.signed, city.concluded, city.overdue, city.completion_rate) == (
            1,
            1,
            1,
            0,
            "100.0%",
        )
