"""Pages offer what the state allows, and the services refuse the rest: no new units on an approved scheme,
no formation once every notice is out, no authorisation or recusal filing on an archived assignment."""

import pytest
from django.core.exceptions import ValidationError

from xuncha.core.tests.setup import SETUP
from xuncha.planning.choices import AssignmentState
from xuncha.planning.services.assignments import assignment_authorize, assignment_create
from xuncha.planning.services.teams import declaration_create
from xuncha.planning.tests.factories import AssignmentFactory, PersonFactory, RoundFactory, approve


def test_an_approved_scheme_takes_no_new_units(committees, orgs, personas, login):
    round_ = RoundFactory(committee=committees["city"])
    AssignmentFactory(round_=round_, organization=orgs["syjt"])
    page = login(personas["city_admin"]).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert "列入巡察任务" in page and "自动组建巡察组" in page
    approve(round_)
    with pytest.raises(ValidationError, match="轮次方案已审定，不能再列入巡察任务"):
        assignment_create(actor=SETUP, round_=round_, organization=orgs["yh"], inspection_type="regular",
                          planned_entry=round_.start_date)  # fmt: skip
    page = login(personas["city_admin"]).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert "列入巡察任务" not in page and "自动组建巡察组" in page  # the unit has no notice yet


def test_an_archived_assignment_offers_no_authorisation_or_recusal_filing(committees, orgs, personas, login):
    round_ = RoundFactory(committee=committees["city"])
    a = AssignmentFactory(round_=round_, organization=orgs["syjt"], closed=True)
    assert a.state == AssignmentState.CLOSED
    with pytest.raises(ValidationError, match="已销号归档，不再办理授权"):
        assignment_authorize(actor=SETUP, assignment=a, doc_no="长巡授〔2025〕9号")
    with pytest.raises(ValidationError, match="不再登记回避申报"):
        declaration_create(actor=SETUP, assignment=a, person=PersonFactory(), source="self", reason="亲属在该单位任职")
    page = login(personas["city_admin"]).get(f"/planning/assignments/{a.pk}/").content.decode()
    assert "授权组长、副组长" not in page and "登记回避申报" not in page
    round_page = login(personas["city_admin"]).get(f"/planning/rounds/{round_.pk}/").content.decode()
    assert "自动组建巡察组" not in round_page
