"""Petition pages against every persona: the inspected unit and other teams get nothing from any of them."""

import time_machine

from xuncha.petitions.intake.services import petition_register
from xuncha.petitions.models import Petition
from xuncha.petitions.tests.conftest import ON_SITE_DAY

OFFICES = {"city_admin", "city_office", "city_director", "province_office", "yuhua_office", "yuelu_office"}
TEAM = {"leader", "petition_officer", "member", "other_team"}


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_petition_pages_by_persona(team_world, personas, login):
    petition = petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel="letter",
        content={"what": "反映水业集团某部长违规"},
    )
    a = team_world["assignment"].pk
    pages = [
        ("/petitions/", dict.fromkeys(OFFICES | TEAM, 200)),
        (f"/petitions/{petition.pk}/", {"city_admin": 200, "city_office": 200, "city_director": 200, "leader": 200, "petition_officer": 200, "member": 200,
                                        "other_team": 404, "province_office": 404, "yuhua_office": 404, "yuelu_office": 404}),
        ("/petitions/register/", {**dict.fromkeys(TEAM, 200), **dict.fromkeys(OFFICES, 403)}),
        ("/ferry/transfer/", {"city_admin": 200}),
        (f"/fieldwork/announcements/{a}/", {"city_admin": 200, "city_office": 200, "city_director": 200, "leader": 200, "member": 403, "petition_officer": 403,
                                              "other_team": 404, "province_office": 404, "yuhua_office": 404, "yuelu_office": 404}),
    ]  # fmt: skip
    team_files = {"city_admin": 200, "city_office": 200, "city_director": 200, "leader": 200, "petition_officer": 200, "member": 200,
                  "other_team": 404, "province_office": 404, "yuhua_office": 404, "yuelu_office": 404}  # fmt: skip
    for suffix in ("survey/", "qr.png", "survey-qr.png", "announcement.pdf", "poster.png"):
        pages.append((f"/fieldwork/announcements/{a}/{suffix}", team_files))
    for url, expected in pages:
        for name, user in personas.items():
            status = login(user).get(url).status_code
            assert status == expected.get(name, 403), f"{name} → {url}: {status}"


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_lists_and_counts_show_nothing_outside_the_compartment(team_world, personas, login):
    petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel="letter",
        content={"what": "反映水业集团某部长违规"},
    )
    petition_register(
        actor=team_world["other_team"],
        assignment=team_world["other"],
        channel="letter",
        content={"what": "反映雨花区某局长违规"},
    )
    own = login(personas["other_team"]).get("/petitions/").content.decode()
    assert "共 1 件" in own and "雨花区某局长" in own and "水业集团某部长" not in own
    office = login(personas["city_office"]).get("/petitions/").content.decode()
    assert "共 2 件" in office
    for name in ("unit_leader", "unit_liaison", "functional_dept", "discipline", "org_dept", "sys_admin", "no_role"):
        client = login(personas[name])
        assert client.get("/petitions/").status_code == 403
        for p in Petition.objects.all():
            assert client.get(f"/petitions/{p.pk}/").status_code == 403
            assert (
                client.post(f"/petitions/{p.pk}/", {"action": "reveal", "reason": "电话联系核实情况"}).status_code
                == 403
            )


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_refused_writes_change_nothing(team_world, personas, login):
    petition = petition_register(
        actor=team_world["leader"],
        assignment=team_world["assignment"],
        channel="letter",
        content={"what": "反映某问题"},
    )
    for name in set(personas) - {"leader", "petition_officer", "member"}:
        client = login(personas[name])
        client.post(f"/petitions/{petition.pk}/reply/", {"text": "x"})
        client.post(f"/petitions/{petition.pk}/note/", {"text": "x"})
        client.post(f"/petitions/{petition.pk}/status/", {"status": "under_review"})
    petition.refresh_from_db()
    assert petition.status == "received" and not petition.messages.exists() and not petition.notes.exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_search_and_export_stay_inside_the_compartment_and_never_carry_identity(team_world, personas, login):
    import io

    from openpyxl import load_workbook

    from xuncha.core.models import AuditEvent

    petition_register(
        actor=team_world["leader"], assignment=team_world["assignment"], channel="letter",
        content={"what": "反映水业集团某部长违规发放津贴"}, identity={"name": "褚某某", "phone": "13300000000"},
    )  # fmt: skip
    petition_register(
        actor=team_world["other_team"],
        assignment=team_world["other"],
        channel="phone",
        content={"what": "反映雨花区某局长违规"},
    )
    hits = login(personas["leader"]).post("/petitions/", {"q": "津贴"}).content.decode()
    assert login(personas["leader"]).post("/petitions/", {"q": "津贴"})["Cache-Control"] == "no-store"
    assert "共 1 件" in hits and "津贴" in hits
    assert "共 0 件" in login(personas["other_team"]).post("/petitions/", {"q": "津贴"}).content.decode()
    # A search term in a URL is not taken (it would land in logs and histories): the list is unfiltered.
    assert "共 1 件" in login(personas["other_team"]).get("/petitions/", {"q": "津贴"}).content.decode()
    assert login(personas["leader"]).get("/petitions/export.xlsx").status_code == 405  # filters never travel in a URL
    exported = login(personas["leader"]).post("/petitions/export.xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("导出人：leader") and "不得外传" in rows[0][0]
    assert rows[2][6] == "实名（不导出）" and "津贴" in rows[2][8]
    flat = str(rows)
    assert "褚某某" not in flat and "13300000000" not in flat and "雨花区某局长" not in flat
    assert AuditEvent.objects.filter(action="petitions.export", actor=personas["leader"]).exists()
    other = load_workbook(io.BytesIO(login(personas["other_team"]).post("/petitions/export.xlsx").content)).active
    assert "水业集团" not in str(list(other.iter_rows(values_only=True)))
    for name in ("unit_leader", "unit_liaison", "functional_dept", "discipline", "no_role"):
        assert login(personas[name]).post("/petitions/export.xlsx").status_code == 403
