"""Key rotation finds a lead's sealed columns through the model registry and rewraps them."""

import time_machine

from xuncha.core.actors import COMMAND_LINE
from xuncha.findings.models import Lead
from xuncha.findings.tests.leads_world import MATERIALS, RESULT, SUBJECT, SUMMARY, register, walk
from xuncha.petitions.rotation import rewrap, rotated_columns
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.test_rotation import _id, _key

LABELS = {"问题线索·内容", "问题线索·被反映人", "问题线索·研究意见", "问题线索·办理结果", "问题线索·移交材料"}


def test_every_sealed_column_of_a_lead_is_a_rotated_column():
    assert {c.label for c in rotated_columns()} >= LABELS


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_leads_sealed_values_are_rewrapped_to_the_new_key_and_still_open(lead_world, ring):
    a, _ = _key()
    b, b_pub = _key()
    ring(a)
    lead = walk(lead_world, register(lead_world), "concluded")
    ring(b, a)
    result = rewrap(actor=COMMAND_LINE)
    assert set(result.rewrapped) >= LABELS
    ring(b)  # the retired key is gone: the lead still opens
    lead = Lead.objects.select_related("transfer").get(pk=lead.pk)
    assert bytes(lead.sealed_content)[:9] == b"\x02" + _id(b_pub)
    assert lead.sealed_content.open()["summary"] == SUMMARY
    assert lead.sealed_subjects.open()[0]["name"] == SUBJECT
    assert lead.sealed_result.open()["text"] == RESULT
    assert lead.transfer.sealed_materials.open() == MATERIALS
