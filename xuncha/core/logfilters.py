"""Nothing typed into a search, a filter or a form reaches a log: request lines lose their query strings.

Attached to every handler (settings.LOGGING), so the development server's access lines ("GET /orgs/?q=张三
HTTP/1.1" 200), a library's warning that quotes a URL, and our own records alike keep the path only.
Production's gunicorn writes its access log with the path alone (config/gunicorn.conf.py).
"""

import logging
import re

# A URL path followed by a query string: "/orgs/?q=…", "https://host/p/x?code=…" up to a space or quote.
QUERY = re.compile(r"(?P<path>(?:https?://[^\s\"'?]+)?/[^\s\"'?]*)\?[^\s\"']*")


def without_queries(text: str) -> str:
    return QUERY.sub(lambda m: f"{m.group('path')}?…", text)


class QueryStringFilter(logging.Filter):
    """Rewrite a record's message with every query string replaced by "?…"."""

    def filter(self, record: logging.LogRecord) -> bool | logging.LogRecord:
        """A cleaned copy for this handler only (Python 3.12: a filter may return the record to emit), so
        other handlers and the record's own arguments are left as they were."""
        message = record.getMessage()
        cleaned = without_queries(message)
        if cleaned == message:
            return True
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args = cleaned, ()
        return copy
