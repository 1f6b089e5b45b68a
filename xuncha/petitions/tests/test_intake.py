"""The public channel: no log-in, a receipt code shown once, the dialogue, the cut-off, flood control."""

import json
import re

import pytest
import time_machine
from django.core.cache import cache

from xuncha.core.models import AuditEvent
from xuncha.petitions.intake.receipts import receipt_hash
from xuncha.petitions.intake.services import team_reply
from xuncha.petitions.models import Petition, PetitionSignature
from xuncha.petitions.tests.conftest import ON_SITE_DAY
from xuncha.petitions.tests.leaks import db_leaks, with_codes

REPORT = {
    "anonymous": "1",
    "subject_name": "王某某",
    "subject_unit": "市水业集团",
    "what": "王某某多次违规使用公车接送家属，周末开往外地。",
    "when": "2024年9月",
    "where": "集团本部",
}


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def _submit(client, token, data=REPORT):
    return client.post(f"/p/{token}/", data, REMOTE_ADDR="10.0.0.1")


def _code(response) -> str:
    return re.search(r'id="receipt-code">([A-Z0-9-]+)<', response.content.decode()).group(1)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_anonymous_report_gets_a_receipt_code_stored_only_as_a_hash(
    team_world, client, django_capture_on_commit_callbacks
):
    token = team_world["announcement"].token
    page = client.get(f"/p/{token}/").content.decode()
    assert "0731—82186945" in page and "长沙市A271号信箱" in page and "09:00—12:00、13:30—17:30" in page
    # The processing queued after the commit runs here (clocks, duplicate index, audit entry).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _submit(client, token)
    # The submission queues one sweep; the sweep's audit entry then queues the anchor's checkpoint.
    assert [c.__name__ for c in callbacks] == ["schedule_sweep", "_schedule_checkpoint"]
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    code = _code(response)
    assert len(code.replace("-", "")) == 20
    petition = Petition.objects.get()
    assert petition.anonymous and petition.sealed_identity is None
    # Stored as its hash, however the reporter types the code later.
    assert petition.receipt_hash == receipt_hash(code) == receipt_hash(code.lower().replace("-", ""))
    assert petition.sign_due is not None
    assert PetitionSignature.objects.filter(petition=petition).exists() and petition.bands.count() == 32
    event = AuditEvent.objects.get(action="petitions.received")
    assert event.object_id == str(petition.pk)
    assert event.summary == f"收到信访件 {petition.number}（码上巡察（网上举报））"
    recorded = event.summary + json.dumps(event.data, ensure_ascii=False)
    for said in ("王某某", "王某", "市水业集团", "公车", "接送家属", "外地", "2024年9月", "集团本部"):
        assert said not in recorded, said
    # The code itself is nowhere in the database, in any form it could be typed.
    assert db_leaks(with_codes({}, [code])) == []


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_reporter_reads_the_reply_and_adds_information_with_the_code(team_world, client):
    code = _code(_submit(client, team_world["announcement"].token))
    petition = Petition.objects.get()
    team_reply(actor=team_world["leader"], petition=petition, text="已收到，巡察组将认真研究。")
    page = client.post("/p/status/", {"code": code.lower()}).content.decode()
    assert "已收到，正在处理" in page and "已收到，巡察组将认真研究。" in page
    page = client.post("/p/status/", {"code": code, "addition": "补充：车牌号湘A·12345。"}).content.decode()
    assert "已收到您的补充材料" in page and "补充：车牌号湘A·12345。" in page
    assert petition.messages.filter(from_reporter=True).count() == 1
    assert "查询码不正确" in client.post("/p/status/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE"}).content.decode()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_named_report_needs_a_name_and_a_phone(team_world, client):
    response = _submit(client, team_world["announcement"].token, {**REPORT, "anonymous": "0", "name": "李四"})
    assert "实名反映请填写姓名和联系电话" in response.content.decode()
    assert not Petition.objects.exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_field_error_is_shown_on_the_field_with_what_was_typed_kept(team_world, client):
    too_long = {**REPORT, "subject_name": "某" * 51, "where": "市交通运输局三楼"}
    page = _submit(client, team_world["announcement"].token, too_long).content.decode()
    assert "最多 50 个字（现为 51 个字）" in page and "市交通运输局三楼" in page
    assert "请填写此项" in _submit(client, team_world["announcement"].token, {"anonymous": "1"}).content.decode()
    assert not Petition.objects.exists()


def test_the_quick_validation_agrees_with_the_form():
    from django.http import QueryDict

    from xuncha.petitions.forms import ReportForm, valid_data

    for data in (
        REPORT,
        {**REPORT, "anonymous": "0", "name": " 李四 "},
        {**REPORT, "what": ""},
        {**REPORT, "anonymous": "x"},
    ):
        query = QueryDict(mutable=True)
        query.update(data)
        form = ReportForm(query)
        assert valid_data(ReportForm, query) == (form.cleaned_data if form.is_valid() else None)


def test_after_the_cut_off_the_page_says_so_and_names_the_regular_channels(team_world, client):
    announcement = team_world["announcement"]
    with time_machine.travel(f"{announcement.cutoff:%Y-%m-%d} 23:00:00+08:00", tick=False):
        assert "提交" in client.get(f"/p/{announcement.token}/").content.decode()
    with time_machine.travel("2024-12-31 10:00:00+08:00", tick=False):
        page = _submit(client, announcement.token).content.decode()
        assert f"已于{announcement.cutoff:%Y年%m月%d日}截止" in page and "12388" in page
        assert not Petition.objects.exists()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_floods_are_slowed_per_client_without_locking_out_others(team_world, client):
    token = team_world["announcement"].token
    statuses = [_submit(client, token).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert "提交过于频繁" in _submit(client, token).content.decode()
    assert client.post(f"/p/{token}/", REPORT, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert Petition.objects.count() == 6


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_many_reporters_behind_one_address_are_not_locked_out_but_one_device_is_slowed(team_world):
    from django.test import Client

    url = f"/p/{team_world['announcement'].token}/"
    phones = [Client() for _ in range(20)]
    for phone in phones:  # a unit's internet exit: one address, twenty phones
        phone.get(url, REMOTE_ADDR="10.5.5.5")
        assert phone.post(url, REPORT, REMOTE_ADDR="10.5.5.5").status_code == 200
    assert Petition.objects.count() == 20
    eager = phones[0]
    for _ in range(4):
        eager.post(url, REPORT, REMOTE_ADDR="10.5.5.5")
    # The device's own budget is spent, whichever address it comes from next.
    assert eager.post(url, REPORT, REMOTE_ADDR="10.6.6.6").status_code == 429
    assert phones[1].post(url, REPORT, REMOTE_ADDR="10.5.5.5").status_code == 200


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_reporter_whose_form_comes_back_with_errors_is_not_counted(team_world, client):
    url = f"/p/{team_world['announcement'].token}/"
    client.get(url, REMOTE_ADDR="10.7.0.1")
    for _ in range(8):  # too short each time: the form comes back with the error
        page = client.post(url, {**REPORT, "what": "太短"}, REMOTE_ADDR="10.7.0.1")
        assert page.status_code == 200 and "不少于 10 个字" in page.content.decode()
    assert client.post(url, REPORT, REMOTE_ADDR="10.7.0.1").status_code == 200
    assert Petition.objects.count() == 1


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_an_address_cycling_cookies_meets_the_address_ceiling(team_world, monkeypatch):
    from django.test import Client

    from xuncha.core import throttle

    monkeypatch.setitem(throttle.LIMITS, "submit", (5, 8))
    url = f"/p/{team_world['announcement'].token}/"
    statuses = []
    for _ in range(10):
        bot = Client()
        bot.get(url, REMOTE_ADDR="10.8.0.1")
        statuses.append(bot.post(url, REPORT, REMOTE_ADDR="10.8.0.1").status_code)
    assert statuses == [200] * 8 + [429] * 2 and Petition.objects.count() == 8


def test_an_unknown_token_is_not_found(team_world, client):
    assert client.get("/p/nonexistent-token/").status_code == 404


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_after_a_submission_the_task_queue_sets_clocks_indexes_and_audits(
    team_world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _submit(client, team_world["announcement"].token)
    # One sweep queued after the commit, then the checkpoint its audit entry queues (docs/adr/0013).
    assert [c.__name__ for c in callbacks] == ["schedule_sweep", "_schedule_checkpoint"]
    petition = Petition.objects.get()
    assert petition.sign_due is not None and petition.handle_due is not None and petition.ack_due is None
    assert petition.bands.count() == 32
    event = AuditEvent.objects.get(action="petitions.received")
    assert "王某某" not in event.summary and event.object_id == str(petition.pk)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_the_form_asks_for_each_field_once(team_world, client):
    page = client.get(f"/p/{team_world['announcement'].token}/").content.decode()
    for field in ("name", "phone", "unit", "subject_name", "what"):
        assert page.count(f'name="{field}"') == 1, field


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_one_sweep_processes_every_pending_submission(team_world, client):
    from xuncha.petitions.intake.services import sweep

    for i in range(3):
        client.post(f"/p/{team_world['announcement'].token}/", REPORT, REMOTE_ADDR=f"10.2.0.{i}")
    assert Petition.objects.filter(sign_due__isnull=True).count() == 3
    assert sweep() == 3 and sweep() == 0
    assert AuditEvent.objects.filter(action="petitions.received").count() == 3


def test_sweeps_are_coalesced_but_none_is_skipped(monkeypatch):
    """With a deferring queue: one sweep per second, and a submission after the due time queues another."""
    from datetime import datetime, timedelta

    from xuncha.petitions import tasks
    from xuncha.petitions.intake import services

    queued: list[datetime] = []

    class Backend:
        supports_defer = True

    class Stub:
        def get_backend(self):
            return Backend()

        def using(self, run_after):
            queued.append(run_after)
            return self

        def enqueue(self):
            return None

    monkeypatch.setattr(tasks, "petition_sweep", Stub())
    monkeypatch.setattr(services, "_next_sweep", [None])
    with time_machine.travel("2024-10-15 10:00:00+08:00", tick=False) as clock:
        services.schedule_sweep()
        clock.shift(timedelta(milliseconds=400))
        services.schedule_sweep()  # covered by the queued sweep, which starts later
        clock.shift(timedelta(milliseconds=700))
        services.schedule_sweep()  # the first is due: queue the next
    assert len(queued) == 2 and queued[1] - queued[0] == timedelta(milliseconds=1100)


def test_the_deploy_check_asks_how_many_proxies_stand_in_front(settings):
    from xuncha.petitions.checks import proxy_hops_said

    settings.TRUSTED_PROXY_HOPS = None
    assert [w.id for w in proxy_hops_said(None)] == ["xuncha.W101"]
    settings.TRUSTED_PROXY_HOPS = 0
    assert proxy_hops_said(None) == []


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(team_world, client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    url = f"/p/{team_world['announcement'].token}/"
    # Every request reaches the server from the proxy (one socket address); the proxy names the client.
    for i in range(6):
        assert client.post(url, REPORT, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"172.16.0.{i}").status_code == 200
    spoofed = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 172.16.0.0"}  # the rightmost hop counts
    statuses = [client.post(url, REPORT, **spoofed).status_code for _ in range(5)]
    assert statuses[-1] == 429 and Petition.objects.count() == 6 + statuses.count(200)


@pytest.fixture(scope="session")
def redis_socket(tmp_path_factory):
    """A Redis server of the test run's own (Debian's redis-server, on a Unix socket), as in production."""
    import shutil
    import subprocess
    import time

    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: bin/test installs Debian's redis-server package"
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    server = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    yield f"unix://{socket}"
    server.terminate()
    server.wait()


@pytest.fixture
def redis_counters(settings, redis_socket):
    import redis

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_socket}}
    server = redis.Redis.from_url(redis_socket)
    server.flushdb()
    yield server
    server.flushdb()


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_with_redis_budgets_are_counted_in_one_round_trip_and_refunded_on_refusal(team_world, redis_counters):
    from django.test import Client

    from xuncha.core import throttle

    url = f"/p/{team_world['announcement'].token}/"
    phone = Client()
    phone.get(url, REMOTE_ADDR="10.4.0.1")
    redis_counters.config_resetstat()
    assert phone.post(url, {**REPORT, "what": "太短"}, REMOTE_ADDR="10.4.0.1").status_code == 200
    statuses = [phone.post(url, REPORT, REMOTE_ADDR="10.4.0.1").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429] and Petition.objects.count() == 5
    # One command per count: seven posts counted, two refunds (the short report, the one over budget);
    # a server that does not know the script yet refuses its digest once and is sent the script.
    stats = redis_counters.info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] - stats["cmdstat_evalsha"]["failed_calls"] == 9
    assert stats.get("cmdstat_script|load", {}).get("calls", 0) <= 1
    # Inside the script each refund first checks its two counters still exist.
    assert stats["cmdstat_exists"]["calls"] == 4
    # Keyed, expiring counters: attempts 7, submissions 6 (the refused one refunded, the sixth over budget).
    keys = redis_counters.keys("xuncha:throttle:*")
    assert all(redis_counters.ttl(k) <= throttle.WINDOW for k in keys)
    assert sorted(int(redis_counters.get(k)) for k in keys) == [5, 5, 7]
    assert not any(b"10.4.0.1" in k for k in keys)


@time_machine.travel(ON_SITE_DAY, tick=False)
def test_a_reporters_files_never_touch_the_disk_before_they_are_sealed(team_world, client, monkeypatch):
    """Uploads above Django's 2.5 MB default would go to a temporary file with their GPS still in them."""
    import io

    from django.core.files import uploadedfile
    from PIL import Image

    def no_disk(*args, **kwargs):
        raise AssertionError("a reporter's upload was written to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_disk)
    noise = Image.effect_noise((1800, 1800), 80).convert("RGB")  # noise does not compress: a large photo
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=98)
    assert buffer.tell() > 3 * 1024 * 1024
    photo = io.BytesIO(buffer.getvalue())
    photo.name = "现场.jpg"
    response = client.post(f"/p/{team_world['announcement'].token}/", {**REPORT, "attachments": [photo]})
    assert response.status_code == 200 and "receipt-code" in response.content.decode()
    assert Petition.objects.get().attachments.count() == 1


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_a_refund_after_the_window_closed_gives_back_nothing(backend, request, rf):
    """Otherwise the refund would open a window below zero: one use more than the budget."""
    from xuncha.core import throttle

    server = request.getfixturevalue("redis_counters") if backend == "redis" else None
    post = rf.post("/p/x/", REMOTE_ADDR="10.5.0.1")
    post.COOKIES[throttle.DEVICE_COOKIE] = "d" * 32
    assert throttle.allow(post, "submit")
    keys = [key for key, _ in throttle._budgets(post, "submit")]
    for key in keys:  # the window closes
        if server is not None:
            server.delete(throttle._raw(key))
        else:
            cache.delete(key)
    throttle.refund(post, "submit")
    if server is not None:
        assert not server.keys("xuncha:throttle:*")
    else:
        assert all(cache.get(key) is None for key in keys)
    # A refund inside the window still gives the use back.
    assert throttle.allow(post, "submit")
    throttle.refund(post, "submit")
    assert throttle._counted(keys, 0) == [0, 0]
