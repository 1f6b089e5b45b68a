"""Settings for the throughput benchmark: production settings plus the floor view, no throttling.

Throttling is switched off (a dummy cache) because every request of the load generator comes from
one address; everything else — middleware, CSRF, sealing, audit chain, PostgreSQL — is as in production.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
