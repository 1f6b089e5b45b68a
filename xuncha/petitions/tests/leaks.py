"""What a stolen database, a node's configuration or its logs would show, searched for the secrets of
a real end-to-end flow (the helpers of test_confidentiality, test_sealing and test_intake).

A secret is searched in every form it could take: its UTF-8 bytes, the \\uXXXX escapes JSON stores
for it (Django's JSONField writes ensure_ascii JSON), GBK and UTF-16, and its first characters (a
truncated summary is a leak too). A prefix is at least 4 characters and at least 8 bytes (10 digits
for a number), so random ciphertext, a hex digest or a long number cannot contain it by chance.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import connection

# ---------------------------------------------------------------------------------------------
# The secrets of the end-to-end flow: each distinctive, none a prefix of anything the fixtures hold.

REPORTER_IP = "10.77.66.55"
FIRST = {  # named, on the intake node, with a photo and a PDF, then an addition with the code
    "anonymous": "0",
    "name": "赵敏华",
    "phone": "13912345678",
    "unit": "供水二厂调度室",
    "address": "雨花区韶山路88号",
    "subject_name": "柯振彪",
    "subject_position": "基建处处长",
    "what": "柯振彪在翠湖山庄收受工程老板二十万元现金，车牌湘A·99999。",
    "when": "2024年9月",
    "where": "翠湖山庄停车场",
}
SECOND = {  # named, on the internal side, with a photo
    "anonymous": "0",
    "name": "鲍春燕",
    "phone": "13687654321",
    "unit": "营业所收费班",
    "address": "天心区芙蓉南路19号",
    "subject_name": "韦德麟",
    "what": "韦德麟虚报燃气管网改造工程量套取资金，经办人为财务科出纳。",
    "where": "集团本部",
}
LETTER = {  # registered by the team from a letter, named
    "name": "钱德旺",
    "phone": "13700001234",
    "address": "岳麓区麓山南路321号",
    "subject_name": "邝耀祖",
    "what": "邝耀祖在水表采购中指定亲属企业中标，合同金额约三百万。",
}
ADDITION_FIRST = "补充：行贿人是鸿运建材的老板。"
ADDITION_SECOND = "补充：套取资金存入绿洲贸易账户。"
REPLY = "请于十月二十日前补充行车记录。"
NOTE = "内部研判意见：线索具体可查。"
STATUS_REASON = "调阅三号泵站台账核对。"
REFERRAL_RESULT = "核实退缴赃款四十二万元。"
PDF_TEXT = b"ATTACHMENT-BODY-QZX-7731"  # what the reporter's PDF says (kept: only metadata is scrubbed)

SECRETS: dict[str, str] = {
    "reporter name": FIRST["name"],
    "reporter phone": FIRST["phone"],
    "reporter unit": FIRST["unit"],
    "reporter address": FIRST["address"],
    "subject name": FIRST["subject_name"],
    "text: place": "翠湖山庄",
    "text: sum": "二十万元现金",
    "text: plate": "湘A·99999",
    "addition": "鸿运建材",
    "second reporter name": SECOND["name"],
    "second reporter phone": SECOND["phone"],
    "second reporter unit": SECOND["unit"],
    "second reporter address": SECOND["address"],
    "second subject name": SECOND["subject_name"],
    "second text": "燃气管网改造",
    "second addition": "绿洲贸易",
    "letter reporter name": LETTER["name"],
    "letter reporter phone": LETTER["phone"],
    "letter reporter address": LETTER["address"],
    "letter subject name": LETTER["subject_name"],
    "letter text": "水表采购",
    "reply": REPLY,
    "note": NOTE,
    "status reason": STATUS_REASON,
    "referral result": REFERRAL_RESULT,
    "attachment text": PDF_TEXT.decode(),
    "reporter address (IP)": REPORTER_IP,
}


def _prefix(secret: str) -> str:
    """The secret's beginning: 4 characters, longer until 8 bytes (10 for digits: a phone number's
    first digits turn up in any long number by chance)."""
    least = 10 if secret.isdigit() else 8
    for n in range(4, len(secret)):
        if len(secret[:n].encode()) >= least:
            return secret[:n]
    return secret


def code_forms(code: str) -> list[str]:
    """A receipt code as typed: with and without its dashes, either case."""
    bare = code.replace("-", "")
    return [code, bare, code.lower(), bare.lower()]


def needles(secret: str) -> dict[bytes, str]:
    """The byte strings whose presence would give the secret (or its beginning) away."""
    out: dict[bytes, str] = {}
    for text in (secret, _prefix(secret)):
        out[text.encode()] = text
        out[json.dumps(text)[1:-1].encode()] = text  # as ensure_ascii JSON stores it
    for encoding in ("gbk", "utf-16-le"):
        with suppress(UnicodeEncodeError):
            out.setdefault(secret.encode(encoding), f"{secret} ({encoding})")
    return out


def with_codes(secrets: dict[str, str], codes: Iterable[str]) -> dict[str, str]:
    extended = dict(secrets)
    for i, code in enumerate(codes):
        for j, form in enumerate(code_forms(code)):
            extended[f"receipt code {i} (form {j})"] = form
    return extended


def as_bytes(value: Any) -> bytes:
    """A column's value as a dump holds it: bytes as they are, text as UTF-8, anything else as text."""
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str).encode()
    return str(value).encode()


def needle_table(secrets: dict[str, str]) -> list[tuple[bytes, str]]:
    return [
        (needle, f"{label}: {text!r}") for label, secret in secrets.items() for needle, text in needles(secret).items()
    ]


def found(haystack: bytes | str, secrets: dict[str, str] | list[tuple[bytes, str]]) -> list[str]:
    """The labels of the secrets (or their beginnings) found in the haystack."""
    data = haystack.encode() if isinstance(haystack, str) else bytes(haystack)
    table = needle_table(secrets) if isinstance(secrets, dict) else secrets
    return sorted({label for needle, label in table if needle in data})


# ---------------------------------------------------------------------------------------------
# The database, as a dump would show it: every table, every column, every row (vendor-neutral).


def db_values() -> Iterator[tuple[str, str, Any]]:
    """(table, column, value) for every value stored in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                yield from ((table, column, value) for column, value in zip(columns, row, strict=True))


def db_leaks(secrets: dict[str, str]) -> list[str]:
    """Where in the database a secret (or its beginning) is readable: "table.column: secret"."""
    leaks, table_ = set(), needle_table(secrets)
    for table, column, value in db_values():
        for hit in found(as_bytes(value), table_):
            leaks.add(f"{table}.{column}: {hit}")
    return sorted(leaks)


def decoded_sessions() -> list[str]:
    """The sessions' data as JSON: stored signed and base64-encoded, readable by anyone with the dump."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    store = SessionStore()
    return [json.dumps(store.decode(s.session_data), ensure_ascii=False, default=str) for s in Session.objects.all()]


def cache_contents() -> list[bytes]:
    """Every key and stored (pickled) value of the cache: local memory in tests, Redis in production."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=False)
        return [part for key in client.scan_iter() for part in (bytes(key), bytes(client.get(key) or b""))]
    assert isinstance(backend, LocMemCache), type(backend)
    return [part for key, value in backend._cache.items() for part in (key.encode(), bytes(value))]


NODE_MODELS = (
    "petitions.Petition",
    "petitions.PetitionMessage",
    "petitions.Attachment",
    "petitions.ReporterView",
    "ferry.ExportedBundle",
)


def node_rows() -> str:
    """One node's own petition rows, to set aside while the other node's database is in use (both nodes
    share the test database)."""
    from django.apps import apps
    from django.core import serializers

    models = [apps.get_model(label) for label in NODE_MODELS]
    return serializers.serialize("json", [obj for model in models for obj in model.objects.all()])


def node_wipe() -> None:
    from django.apps import apps

    for label in reversed(NODE_MODELS):
        apps.get_model(label).objects.all().delete()


def node_restore(saved: str) -> None:
    from django.core import serializers

    node_wipe()
    for obj in serializers.deserialize("json", saved):
        obj.save()


def table_rows() -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


# ---------------------------------------------------------------------------------------------
# Logs: a handler that keeps every record, and every text a record can turn into.


class Keeper(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(r is record for r in self.records):  # a propagated record reaches two of our loggers
            self.records.append(record)

    def texts(self) -> list[tuple[str, str]]:
        """(logger, text) for each record: the message, its arguments, the exception text and the line
        as the project's configured formatter (settings.LOGGING "plain") writes it, traceback included.
        That formatter prints no frame locals, so none are looked at."""
        plain = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
        out = []
        for record in self.records:
            args: Any = record.args or ()
            if isinstance(args, tuple):
                # A float (the SQL log's duration, 0.00014137000016…) holds no secret, only digits by chance.
                args = tuple(a for a in args if not isinstance(a, float))
            parts = [record.getMessage(), repr(args), str(record.msg), record.stack_info or ""]
            parts.append(plain.format(record))  # sets exc_text when there is an exception
            parts.append(record.exc_text or "")
            out.append((record.name, "\n".join(parts)))
        return out

    def leaks(self, secrets: dict[str, str]) -> list[str]:
        table = needle_table(secrets)
        return sorted({f"{name}: {hit}" for name, text in self.texts() for hit in found(text, table)})


@contextmanager
def kept_logs(*names: str, level: int = logging.DEBUG) -> Iterator[Keeper]:
    """Every record of the named loggers ("" is the root logger) set to `level`, and of their children."""
    keeper = Keeper()
    loggers = [logging.getLogger(n) for n in names]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(keeper)
        logger.setLevel(level)
    try:
        yield keeper
    finally:
        for logger, old in saved:
            logger.removeHandler(keeper)
            logger.setLevel(old)
