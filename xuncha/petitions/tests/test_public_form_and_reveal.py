"""The reporter's choice is never overridden in silence, a public 404 leads nowhere inside, and a reveal
states its reason, which the audit trail keeps."""

import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from xuncha.core.models import AuditEvent
from xuncha.petitions.intake.services import identity_reveal
from xuncha.petitions.models import Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.factories import PetitionFactory

WHAT = "反映某所长利用职务便利为其亲属承揽工程，并收受好处费。"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_name_typed_with_anonymous_chosen_is_not_dropped_in_silence(team_world):
    cache.clear()
    url = f"/p/{team_world['announcement'].token}/"
    page = Client().post(url, {"anonymous": "1", "name": "赵某某", "phone": "13900001111", "what": WHAT},
                         REMOTE_ADDR="10.5.0.1").content.decode()  # fmt: skip
    assert "receipt-code" not in page and Petition.objects.count() == 0
    assert "您选择了“匿名反映”，但实名信息栏中填写了内容" in page
    assert 'id="identity" class="conflict"' in page and 'value="赵某某"' in page and WHAT in page
    named = Client().post(url, {"anonymous": "0", "name": "赵某某", "phone": "13900001111", "what": WHAT},
                          REMOTE_ADDR="10.5.0.2").content.decode()  # fmt: skip
    assert "receipt-code" in named and not Petition.objects.get().anonymous
    bare = Client().post(url, {"anonymous": "1", "what": WHAT}, REMOTE_ADDR="10.5.0.3").content.decode()
    assert "receipt-code" in bare and Petition.objects.filter(anonymous=True).count() == 1


def test_a_public_404_links_into_nothing_internal(team_world, login):
    for path in ("/p/no-such-token/", "/p/no-such-token/survey/", "/no/such/page/"):
        response = Client().get(path)
        page = response.content.decode()
        assert response.status_code == 404 and "12388" in page, path
        assert re.findall(r'href="([^"]+)"', page) == [] or all(
            h.startswith("/static/") for h in re.findall(r'href="([^"]+)"', page)
        ), path
    staff = login(team_world["leader"]).get("/no/such/page/").content.decode()
    assert "返回工作台" in staff


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_reveal_states_its_reason_and_the_audit_trail_keeps_it(team_world, login):
    petition = PetitionFactory(actor=team_world["leader"], assignment=team_world["assignment"], named=True)
    with pytest.raises(ValidationError, match="须说明事由"):
        identity_reveal(actor=team_world["leader"], petition=petition, reason="  ")
    client = login(team_world["leader"])
    refused = client.post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "看"}).content.decode()
    assert "须说明事由" in refused and "褚某某" not in refused
    assert not AuditEvent.objects.filter(action="petitions.identity_reveal").exists()
    shown = client.post(
        f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"}
    ).content.decode()
    assert "褚某某" in shown
    event = AuditEvent.objects.get(action="petitions.identity_reveal")
    assert event.data["reason"] == "电话联系核实情况" and "电话联系核实情况" in event.summary
