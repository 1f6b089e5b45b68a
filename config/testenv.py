"""Pytest plugin loaded with -p before Django starts: plain-HTTP, collectstatic-free settings for tests."""

import os
import tempfile

os.environ.setdefault("XUNCHA_TLS", "0")
os.environ.setdefault("XUNCHA_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("XUNCHA_DB_CONN_MAX_AGE", "0")
os.environ.setdefault("XUNCHA_SEALED_DIR", tempfile.mkdtemp(prefix="xuncha-sealed-"))
os.environ.setdefault("XUNCHA_TASK_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
