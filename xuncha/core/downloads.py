"""File downloads: always an attachment (never rendered inline), never cached, never sniffed."""

from urllib.parse import quote

from django.http import HttpResponse


def download(body: bytes, filename: str, content_type: str = "application/octet-stream") -> HttpResponse:
    """The response that hands `body` over as the file `filename` (Chinese names are encoded per RFC 6266)."""
    response = HttpResponse(body, content_type=content_type)
    if filename.isascii():
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
