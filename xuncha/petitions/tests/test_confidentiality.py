"""Nothing identifying is readable in a database dump, the logs, an error page, a URL or the cache;
reveals are restricted and audited."""

import hashlib
import json
import logging

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xuncha.core.audit import audit_verify
from xuncha.core.models import AuditEvent
from xuncha.petitions.intake.services import identity_reveal, petition_register
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.flow import (
    PHOTO_ARTIST,
    PHOTO_MAKE,
    PHOTO_SERIAL,
    assert_fully_processed,
    end_to_end,
    photo,
    receipt_code,
)
from xuncha.petitions.tests.leaks import (
    ADDITION_SECOND,
    FIRST,
    REPLY,
    REPORTER_IP,
    as_bytes,
    cache_contents,
    db_leaks,
    decoded_sessions,
    found,
    kept_logs,
    table_rows,
    with_codes,
)


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_database_dump_after_all_processing_holds_nothing_identifying(
    team_world, personas, login, nodes, django_capture_on_commit_callbacks
):
    """A dump taken after the background processing (signatures, bands, the audit chain, learned features,
    survey, referral result, notes, replies, additions, attachments, an imported bundle): no table, no
    column holds a secret readable as text or in its raw bytes. Nor do the sessions (base64 in the dump),
    the cache, the cookies set, the URLs requested or the files carried between the nodes."""
    flow = end_to_end(
        world=team_world, personas=personas, login=login, nodes=nodes, on_commit=django_capture_on_commit_callbacks
    )
    assert_fully_processed()
    rows = table_rows()
    for table in ("core_auditevent", "petitions_petitionsignature", "petitions_categoryfeature",
                  "petitions_surveyresponse", "petitions_referral", "petitions_importedbundle", "django_session"):  # fmt: skip
        assert rows[table], table
    secrets = flow.secrets()
    # The search itself works: the same values readable somewhere would be found.
    assert found(as_bytes({"x": FIRST["name"]}), secrets) and found(json.dumps(REPLY).encode(), secrets)
    leaks = db_leaks(secrets)
    assert leaks == [], "\n".join(leaks)
    # The audit chain still verifies over all of it (nothing was edited to hide anything).
    assert audit_verify()[1] is None
    sessions, cached = decoded_sessions(), cache_contents()
    assert sessions and cached and len(flow.urls) > 20 and flow.cookies
    assert found("\n".join(sessions), secrets) == []
    assert [hit for part in cached for hit in found(part, secrets)] == []
    assert found("\n".join(flow.cookies), secrets) == []
    assert found("\n".join(flow.urls), secrets) == []
    # Nor the files carried between the nodes (on a USB stick, through a ferry).
    assert found(flow.bundle, secrets) == [] and found(flow.replies, secrets) == []


# The root logger (XUNCHA_LOG_LEVEL), the two loggers the project gives their own handler (they do not
# propagate), and the SQL log (written only at DEBUG, with a debug cursor).
LOGGERS = ("", "django.request", "django.server", "django.db.backends")


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_logs_and_error_pages_hold_nothing_identifying(
    team_world, personas, login, nodes, django_capture_on_commit_callbacks, monkeypatch, settings
):
    """Every logger at DEBUG (SQL with its parameters included) through the whole flow and two failures
    inside the public pages: nothing identifying in any record, and a Chinese 500 page that names nothing."""
    from xuncha.petitions.intake import services
    from xuncha.petitions.views import public

    settings.DEBUG = False
    with kept_logs(*LOGGERS) as logs, CaptureQueriesContext(connection) as queries:
        flow = end_to_end(
            world=team_world, personas=personas, login=login, nodes=nodes,
            on_commit=django_capture_on_commit_callbacks,
        )  # fmt: skip

        # A failure deep inside the submission, after the form was parsed and the report sealed.
        def lost(*args, **kwargs):
            raise DatabaseError("server closed the connection unexpectedly")

        monkeypatch.setattr(services, "insert_row", lost)
        broken = Client(raise_request_exception=False, REMOTE_ADDR=REPORTER_IP)
        submit = broken.post(f"/p/{team_world['announcement'].token}/", {**FIRST, "attachments": [photo()]})
        # And one while a reporter adds information with the code.
        monkeypatch.setattr(public, "reporter_add", lambda **kwargs: lost())
        add = broken.post("/p/status/", {"code": flow.codes[1], "addition": ADDITION_SECOND})

    secrets = flow.secrets()
    for response in (submit, add):
        page = response.content.decode()
        assert response.status_code == 500 and "系统暂时无法处理您的请求" in page
        assert found(page, secrets) == [] and "DatabaseError" not in page and "Traceback" not in page
    # The logs saw everything there was to see: both failures with their tracebacks, and the SQL.
    failures = [r for r in logs.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert len(failures) == 2 and all(r.exc_info for r in failures)
    assert sum("server closed the connection unexpectedly" in text for name, text in logs.texts()) == 2
    sql = [r for r in logs.records if r.name == "django.db.backends"]
    assert len(sql) == len(queries.captured_queries) > 100
    # Sealed values reach the SQL log as what they are: parameters of bytes, the ciphertext.
    params = [getattr(p, "obj", p) for r in sql if isinstance(r.args[2], list | tuple) for p in r.args[2]]
    sealed = [p for p in params if isinstance(p, bytes | memoryview) and bytes(p)[:1] in (b"\x01", b"\x02")]
    assert len(sealed) > 10
    leaks = logs.leaks(secrets)
    assert leaks == [], "\n".join(leaks)
    assert found("\n".join(q["sql"] for q in queries.captured_queries), secrets) == []
    # Not asserted, known: the SQL log holds each receipt hash (its INSERT, every status look-up). It is
    # the stored column, not the code (a 100-bit secret behind SHA-256), and opens nothing.


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_photos_metadata_never_reaches_the_logs(team_world, client):
    """XUNCHA_LOG_LEVEL=DEBUG (the root logger) while a reporter sends a photo: the picture library
    describes what it reads, and a phone's photo names its make, its owner, its serial number and where
    it was taken. The scrubbing removes that from the file; none of it may be written to a log."""
    with kept_logs("") as logs:
        logging.getLogger("xuncha.probe").debug("probe")  # what any library logs at DEBUG is kept
        page = client.post(f"/p/{team_world['announcement'].token}/", {**FIRST, "attachments": [photo()]})
    assert page.status_code == 200 and receipt_code(page)
    assert logs.records[0].getMessage() == "probe"
    metadata = {"photo make": PHOTO_MAKE, "photo owner": PHOTO_ARTIST, "photo serial": PHOTO_SERIAL}
    leaks = logs.leaks(metadata)
    assert leaks == [], "\n".join(leaks)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_debugging_django_does_not_write_a_reporters_page_to_the_logs(team_world, django_capture_on_commit_callbacks):
    """The "django" logger at DEBUG (to see what the framework does) while a reporter reads the reply and
    adds information: nothing of the page may be logged. (A template's failed variable lookup is logged
    by django.template at DEBUG with the repr of the whole context: on the status page, the receipt code
    and the dialogue in clear.)"""
    from xuncha.petitions.intake.services import team_reply
    from xuncha.petitions.models import Petition

    reporter = Client(REMOTE_ADDR=REPORTER_IP)
    with django_capture_on_commit_callbacks(execute=True):
        code = receipt_code(reporter.post(f"/p/{team_world['announcement'].token}/", FIRST))
    team_reply(actor=team_world["leader"], petition=Petition.objects.get(), text=REPLY)
    with kept_logs("", "django") as logs:
        page = reporter.post("/p/status/", {"code": code, "addition": ADDITION_SECOND}).content.decode()
    assert REPLY in page and "已收到您的补充材料" in page
    leaks = logs.leaks(with_codes({"reply": REPLY, "addition": ADDITION_SECOND}, [code]))
    assert leaks == [], "\n".join(leaks)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_throttles_cache_keys_do_not_give_the_reporters_address_away(team_world):
    """The throttle counts per address in the cache (Redis in production). Whoever reads the cache must not
    learn which addresses reported: a key anyone can compute from a guessed address (there are only 2**32)
    gives the address away as surely as the address itself."""
    from xuncha.core.throttle import DEVICE_COOKIE

    reporter = Client(REMOTE_ADDR=REPORTER_IP)
    assert reporter.post(f"/p/{team_world['announcement'].token}/", FIRST).status_code == 200
    assert DEVICE_COOKIE not in reporter.cookies  # a first visit posting at once: counted by address only

    def unkeyed(kind, value):
        return hashlib.sha256(f"xuncha-throttle:{kind}:{value}".encode()).hexdigest()[:24]

    guessed = [f"throttle:{action}:a:{unkeyed('address', REPORTER_IP)}" for action in ("attempt", "submit")] + [
        f"throttle:submit:d:{unkeyed('device', 'no-cookie:' + REPORTER_IP)}"
    ]
    assert {key: cache.get(key) for key in guessed} == dict.fromkeys(guessed)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_only_the_leader_and_the_petition_officer_reveal_and_each_reveal_is_logged(team_world, login):
    petition = petition_register(
        actor=team_world["member"], assignment=team_world["assignment"], channel="letter",
        content={"what": "反映某科长违规发放补贴"}, identity={"name": "钱某", "phone": "13700000000"},
    )  # fmt: skip
    for name in ("leader", "petition_officer"):
        page = (
            login(team_world[name])
            .post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"})
            .content.decode()
        )
        assert "钱某" in page and "13700000000" in page
    assert AuditEvent.objects.filter(action="petitions.identity_reveal").count() == 2
    member_page = login(team_world["member"]).get(f"/petitions/{petition.pk}/").content.decode()
    assert "反映某科长违规发放补贴" in member_page and "钱某" not in member_page and "***" in member_page
    assert (
        login(team_world["member"])
        .post(f"/petitions/{petition.pk}/", {"action": "reveal", "reason": "电话联系核实情况"})
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        identity_reveal(actor=team_world["member"], petition=petition, reason="电话联系核实情况")
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
