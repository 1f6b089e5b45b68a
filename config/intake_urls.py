"""URL map of the internet-facing intake node (XUNCHA_NODE=intake): public channel, sign-in, bundle export."""

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, include, path

from xuncha.accounts import urls as accounts_urls
from xuncha.core import urls as core_urls
from xuncha.core.access import AppRequest, signed_in


# Routes are picked by name from the apps' own URL maps: each path is written once, and the node
# exposes only what is named here (xuncha/core/tests/test_intake_node.py pins the list).
def _picked(urls: ModuleType, *names: str) -> list[URLPattern]:
    """The named patterns of an app's URL map; a name that has gone away stops the node from starting."""
    chosen = [p for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name in names]
    missing = set(names) - {p.name for p in chosen}
    if missing:
        raise ImproperlyConfigured(f"{urls.__name__} has no URL named {', '.join(sorted(missing))}")
    return chosen


@signed_in
def home(request: AppRequest) -> HttpResponse:
    """The node's one staff page is the transfer, so sign-in and every "返回工作台" link land there."""
    return redirect("ferry:transfer")


urlpatterns = [
    path("", include(([path("", home, name="home"), *_picked(core_urls, "healthz")], "core"))),
    # own_password stays: base.html links it, and the node's administrator changes it here.
    path(
        "accounts/",
        include((_picked(accounts_urls, "login", "second_factor", "logout", "own_password"), "accounts")),
    ),
    path("ferry/", include("xuncha.ferry.urls")),
    path("p/", include("config.public_urls")),
]

handler400 = "xuncha.core.views.bad_request"
handler403 = "xuncha.core.views.permission_denied"
handler404 = "xuncha.core.views.page_not_found"
handler500 = "xuncha.core.views.server_error"
