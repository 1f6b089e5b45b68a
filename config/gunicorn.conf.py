"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

The access log holds the method, the path without its query string (%(U)s, never %(r)s or %(q)s), the
status and the size: no searched name, no filter value and no referrer (which carries the previous page's
query) reaches it. Error-log records pass the same query-string filter as the application's logs.
"""

import os

bind = os.environ.get("XUNCHA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("XUNCHA_WORKERS", "4"))
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_queries": {"()": "xuncha.core.logfilters.QueryStringFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_queries"]},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
