"""A reporter's text that looks like a formula reaches the office's spreadsheet as text, never a formula."""

import pytest
import time_machine

from xuncha.core.spreadsheets import NEUTRALISER
from xuncha.core.tests.test_spreadsheets import formula_free
from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"]


@time_machine.travel(ON_SITE_DAY, tick=False)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_petition_export_carries_no_formula(team_world, personas, login, payload):
    petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel="letter",
        content={"what": payload, "subject_name": payload},
    )
    leader = personas["leader"]
    leader.full_name = payload
    leader.save(update_fields=["full_name"])
    exported = login(leader).post("/petitions/export.xlsx")
    assert exported.status_code == 200
    rows = formula_free(exported.content)
    assert rows[2][7] == NEUTRALISER + payload and rows[2][8] == NEUTRALISER + payload
    assert rows[0][0].startswith("导出人：" + payload)  # mid-text: harmless, and stored as text
