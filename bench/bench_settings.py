"""Settings for the throughput benchmark: production settings plus the floor view.

By default throttling is off (a dummy cache), since every request of the load generator comes from
one address. With BENCH_THROTTLE=1 it runs as in production: counters in Redis, one trusted proxy
hop, and the load generator presents a new client address and device cookie on every request, so
each request pays for its budget checks without being refused.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
if os.environ.get("BENCH_THROTTLE") == "1":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    }
    TRUSTED_PROXY_HOPS = 1
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
