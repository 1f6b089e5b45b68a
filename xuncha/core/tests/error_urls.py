"""A test-only URL map: one public view that refuses its request as suspicious, with the real error handlers."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as internal_urls
from xuncha.core.access import public


@public
def suspicious(request: HttpRequest) -> HttpResponse:
    """Reads the form, then refuses it, as Django does for a malformed multipart body."""
    request.POST.get("text")
    raise SuspiciousOperation("refused")


urlpatterns = [path("suspicious/", suspicious)]

handler400 = internal_urls.handler400
