"""Nothing typed into a search or a filter reaches a log: not the development server's access lines, not
gunicorn's access log, not a record that quotes a URL."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from gunicorn import glogging
from gunicorn.config import Config

SEARCHED = "张三丰"


def _console_output(logger_name: str, *args: object) -> str:
    logger = logging.getLogger(logger_name)
    handler = next(h for h in logger.handlers or logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        logging.getLogger(logger_name).warning(*args)
    finally:
        handler.setStream(old)
    return buffer.getvalue()


def test_the_development_servers_access_lines_keep_the_path_only():
    out = _console_output("django.server", '"%s" %s %s', f"GET /orgs/?q={SEARCHED}&status=open HTTP/1.1", "404", "9")
    assert "/orgs/?…" in out and SEARCHED not in out and "status=open" not in out
    out = _console_output("xuncha", "重定向到 https://xc.example.cn/petitions/?q=%s 失败", SEARCHED)
    assert "https://xc.example.cn/petitions/?…" in out and SEARCHED not in out


def test_every_configured_handler_carries_the_filter():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("no_queries" in h.get("filters", []) for h in handlers.values())


def test_gunicorns_access_log_holds_no_query_string_and_no_referrer():
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    logger = glogging.Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/orgs/people/?q={SEARCHED}", "PATH_INFO": "/orgs/people/",
        "QUERY_STRING": f"q={SEARCHED}", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.8",
        "HTTP_REFERER": f"https://xc.example.cn/petitions/?q={SEARCHED}",
    }  # fmt: skip
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=12))
    line = conf["access_log_format"] % glogging.SafeAtoms(atoms)
    assert "GET /orgs/people/ HTTP/1.1" in line and " 200 " in line
    assert SEARCHED not in line and "q=" not in line
    assert conf["logconfig_dict"]["handlers"]["console"]["filters"] == ["no_queries"]


def test_the_record_other_handlers_see_keeps_its_arguments():
    from xuncha.core.logfilters import QueryStringFilter

    record = logging.LogRecord(
        "django.db.backends", logging.DEBUG, __file__, 1, "(%s) %s; args=%s", (0.1, "SELECT '/p/x?q=1'", ("a",)), None
    )
    shown = QueryStringFilter().filter(record)
    assert isinstance(shown, logging.LogRecord) and "q=1" not in shown.getMessage()
    assert record.args == (0.1, "SELECT '/p/x?q=1'", ("a",)) and "q=1" in record.getMessage()
