"""File downloads: always an attachment (never rendered inline), never cached, never sniffed."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download(body: bytes, filename: str, content_type: str = "application/octet-stream") -> HttpResponse:
    """The response that hands `body` over as the file `filename` (Chinese names per RFC 6266)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
