"""Nothing identifying is readable in a database dump or the logs; reveals are restricted and audited."""

import logging

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from xuncha.core.models import AuditEvent
from xuncha.petitions.models import Petition
from xuncha.petitions.services import identity_reveal, note_add, petition_register, team_reply
from xuncha.petitions.tests.conftest import ON_SITE_DAY

SECRETS = [
    "赵敏华",
    "13912345678",
    "雨花区韶山路88号",
    "市水业集团供水二厂",
    "张某某收受工程老板现金二十万元",
    "湘A·99999",
    "内部研判意见",
]


def _dump() -> bytes:
    """Every row of every table, every column, as bytes: what a stolen database dump would show."""
    out = bytearray()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        out += bytes(value)
                    else:
                        out += str(value).encode()
    return bytes(out)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_database_dump_holds_nothing_identifying(team_world, client, caplog):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    client.post(
        f"/p/{team_world['announcement'].token}/",
        {"anonymous": "0", "name": "赵敏华", "phone": "13912345678", "address": "雨花区韶山路88号", "unit": "市水业集团供水二厂",
         "subject_name": "张某某", "what": "张某某收受工程老板现金二十万元", "where": "湘A·99999车内"},
    )  # fmt: skip
    petition = Petition.objects.get()
    assert not petition.anonymous
    team_reply(actor=team_world["leader"], petition=petition, text="请补充湘A·99999的行车时间。")
    note_add(actor=team_world["leader"], petition=petition, text="内部研判意见：线索具体。")
    identity_reveal(actor=team_world["leader"], petition=petition)
    dump = _dump()
    for secret in SECRETS:
        assert secret.encode() not in dump, secret
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in SECRETS:
        assert secret not in logged


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_the_leader_and_the_petition_officer_reveal_and_each_reveal_is_logged(team_world, login):
    petition = petition_register(
        actor=team_world["member"], assignment=team_world["assignment"], channel="letter",
        content={"what": "反映某科长违规发放补贴"}, identity={"name": "钱某", "phone": "13700000000"},
    )  # fmt: skip
    for name in ("leader", "petition_officer"):
        page = login(team_world[name]).post(f"/petitions/{petition.pk}/", {"action": "reveal"}).content.decode()
        assert "钱某" in page and "13700000000" in page
    assert AuditEvent.objects.filter(action="petitions.identity_reveal").count() == 2
    member_page = login(team_world["member"]).get(f"/petitions/{petition.pk}/").content.decode()
    assert "反映某科长违规发放补贴" in member_page and "钱某" not in member_page and "***" in member_page
    assert login(team_world["member"]).post(f"/petitions/{petition.pk}/", {"action": "reveal"}).status_code == 403
    with pytest.raises(PermissionError):
        identity_reveal(actor=team_world["member"], petition=petition)
    assert AuditEvent.objects.filter(action="petitions.identity_reveal").count() == 2


@time_machine.travel("2024-10-19 10:00:00+08:00", tick=False)  # a Saturday, not a 调休 working day
def test_a_call_outside_the_reception_hours_is_flagged(team_world):
    call = petition_register(
        actor=team_world["member"],
        assignment=team_world["assignment"],
        channel="phone",
        content={"what": "来电反映问题"},
    )
    assert call.out_of_hours
    with time_machine.travel("2024-10-21 10:00:00+08:00", tick=False):
        assert not petition_register(
            actor=team_world["member"], assignment=team_world["assignment"], channel="phone", content={"what": "来电"}
        ).out_of_hours
    with time_machine.travel("2024-10-21 12:30:00+08:00", tick=False):
        assert petition_register(
            actor=team_world["member"], assignment=team_world["assignment"], channel="phone", content={"what": "来电"}
        ).out_of_hours
