"""URL map of the internal system. Every view carries an access rule (xuncha.core.access); the URL test enforces it."""

from django.urls import include, path

urlpatterns = [
    path("", include("xuncha.core.urls")),
    path("accounts/", include("xuncha.accounts.urls")),
    path("orgs/", include("xuncha.orgs.urls")),
    path("planning/", include("xuncha.planning.urls")),
    path("fieldwork/", include("xuncha.fieldwork.urls")),
    path("petitions/", include("xuncha.petitions.urls")),
    path("findings/", include("xuncha.findings.urls")),
    path("ferry/", include("xuncha.ferry.urls")),
    path("p/", include("config.public_urls")),
]

handler400 = "xuncha.core.views.bad_request"
handler403 = "xuncha.core.views.permission_denied"
handler404 = "xuncha.core.views.page_not_found"
handler500 = "xuncha.core.views.server_error"
