"""Root test configuration: plain-HTTP settings for the test client and live server."""

import os

os.environ.setdefault("XUNCHA_TLS", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
