"""File downloads: always an attachment (never rendered inline), never cached, never sniffed."""

from collections.abc import Iterator

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header


def _as_file[R: HttpResponseBase](response: R, filename: str) -> R:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def download(body: bytes, filename: str, content_type: str = "application/octet-stream") -> HttpResponse:
    """The response that hands `body` over as the file `filename` (Chinese names per RFC 6266)."""
    return _as_file(HttpResponse(body, content_type=content_type), filename)


def download_stream(
    chunks: Iterator[bytes], filename: str, content_type: str = "application/octet-stream"
) -> StreamingHttpResponse:
    """The same, streamed chunk by chunk as the file is opened (a large file never sits whole in memory)."""
    return _as_file(StreamingHttpResponse(chunks, content_type=content_type), filename)
