"""Invisible and direction-changing characters: one definition, removed from input, kept out of pages.

A zero-width space in a unit's name made two "identical" units, a right-to-left override turned
"报告.exe" around on screen, a soft hyphen split a surname in search, a control character broke the
XML of an export. None of them is anything a person means to type, so they are removed, not refused:
most arrive pasted from Word, WeChat or a web page, and refusing would leave the user hunting for a
character they cannot see. Line breaks are kept (CR LF and a lone CR become LF), and so is the tab.

Where it applies (docs/adr/0021-hidden-characters.md):

- `HiddenCharsMiddleware` cleans every submitted GET and POST text value, and the names of uploaded
  files, before any form sees them; passwords and the CSRF token are left exactly as typed (a password
  is never shown, and changing it would lock out whoever set it with such a character in it).
- Text stored outside forms (the public channel's service, spreadsheet imports) calls `strip_hidden`.
- Pages: the same middleware removes the characters from every HTML response, so text stored before
  this existed is never rendered raw.
"""

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

_FORMAT = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner, LRM, RLM
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\u206a-\u206f"  # deprecated format characters
    "\ufeff"  # byte-order mark / zero-width no-break space
    "\ufff9-\ufffb"  # interlinear annotation
    "\U000e0000-\U000e007f"  # tag characters: invisible text that still reaches search and exports
)
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but \t \n \r) and C1
HIDDEN = re.compile(f"[{_FORMAT}{_CONTROLS}]")
_IN_PAGES = HIDDEN  # \r, \n and \t are not in the class: a page keeps its own line breaks
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
# Submitted names that must reach their form exactly as typed.
UNTOUCHED = re.compile(r"password|^csrfmiddlewaretoken$", re.IGNORECASE)


def strip_hidden(text: str) -> str:
    """`text` without invisible or direction-changing characters, with line breaks as LF."""
    return HIDDEN.sub("", _LINE_BREAKS.sub("\n", text))


def has_hidden(text: str) -> bool:
    """Whether `strip_hidden` would change anything but line breaks."""
    return HIDDEN.search(text) is not None


def clean_query(data: QueryDict) -> QueryDict:
    """A copy of submitted values with every text cleaned (passwords and the CSRF token as they came)."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if UNTOUCHED.search(key):
            cleaned.setlist(key, values)
        else:
            name = strip_hidden(key)
            cleaned.setlist(name, cleaned.getlist(name) + [strip_hidden(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _clean_file_names(files: MultiValueDict[str, Any]) -> None:
    for upload in (f for _key, values in files.lists() for f in values):
        if upload.name:
            upload.name = strip_hidden(upload.name)


def _clean_request(request: HttpRequest) -> None:
    request.GET = clean_query(request.GET)  # type: ignore[assignment]  # immutable, as Django's own
    # The body is parsed lazily, when a view first asks for it: a view may still choose its upload
    # handlers first (the ferry's transfer does), so the cleaning wraps the parse instead of forcing it.
    parse: Callable[[], None] = request._load_post_and_files

    def parse_and_clean() -> None:
        parse()
        request._post = clean_query(request._post)  # type: ignore[attr-defined]
        _clean_file_names(request._files)  # type: ignore[attr-defined]

    request._load_post_and_files = parse_and_clean  # type: ignore[method-assign]


def _clean_page(response: HttpResponse) -> None:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return
    text = response.content.decode(response.charset, errors="replace")
    if _IN_PAGES.search(text):
        response.content = _IN_PAGES.sub("", text).encode(response.charset)


class HiddenCharsMiddleware:
    """Removes hidden characters from every submitted text value and from every HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _clean_request(request)
        response = self.get_response(request)
        _clean_page(response)
        return response
