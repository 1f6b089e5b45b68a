"""The platform's URLs plus the floor: a bare view inserting an equally sized row."""

import os

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as platform
from xuncha.core.access import public

PAYLOAD = os.urandom(int(os.environ.get("XUNCHA_BENCH_ROW_BYTES", "700")))


@public
def floor(request: HttpRequest) -> HttpResponse:
    """The same request path (middleware, CSRF) ending in one INSERT of a row the size of a sealed petition."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (payload, created_at) VALUES (%s, now())", [PAYLOAD])
    return HttpResponse("ok")


urlpatterns = [*platform, path("bench/floor/", floor)]
