"""Removing what could name or place a reporter from the files they send, without new dependencies.

What is removed:
- Photos (JPG, PNG) are decoded and re-encoded from their pixels alone: EXIF (GPS, camera make,
  model and serial), XMP, IPTC, comments, text chunks and extra MPO frames are all gone. The
  orientation is applied first; the colour profile is dropped.
- Videos (MP4, QuickTime MOV): the `udta`, `meta` and `uuid` boxes of `moov` and of each `trak`
  (©xyz and Apple ISO6709 locations, make, model, software, XMP) and any top-level box that is not
  part of the movie structure are overwritten in place by `free` boxes of the same size, so no
  chunk offset moves and the video plays as before.
- Word (DOCX): the creator, last-modified-by, company, manager and hyperlink base properties are
  emptied, custom properties are dropped (their part stays, empty), the author, initials and
  account ids of tracked changes, comments and the people list are blanked, links to local files
  keep their file name only (a Windows path carries the user name), and JPG/PNG images inside lose
  their metadata losslessly (Word keeps a pasted photo's GPS). The zip is rewritten without its
  own timestamps and comment.
- PDF: in each Info dictionary (every revision) the /Author, /Creator, /Producer, /Title, /Subject
  and /Keywords strings are overwritten in place by empty strings padded with spaces, every
  uncompressed XMP packet is replaced by an empty one of the same length, and JPEG images stored
  as-is (a phone photo turned into a PDF keeps its EXIF) have their metadata segments zeroed in
  place. Nothing moves, so the cross-reference offsets stay valid.

What is NOT removed (the team downloads files only as files, and should know this):
- PDF: an Info dictionary or XMP inside a compressed object stream, JPEG images under another
  filter, annotation authors (/T), signatures, and anything in an encrypted PDF (left unchanged).
- Video: timed metadata and telemetry tracks inside `mdat` (GoPro GPS, drone subtitles, Apple
  timed metadata), and the creation times in `mvhd`/`tkhd`.
- Word: the text itself, revision ids (rsid), document variables, custom XML data, embedded
  objects and images other than JPG/PNG, and the creation and modification dates.
"""

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from PIL import Image, ImageOps

# A "50 MP" phone sensor at full resolution; larger claims are refused before any pixel is decoded.
MAX_PIXELS = 8192 * 6144
MAX_UNZIPPED = 200 * 1024 * 1024  # a Word file inflating past this is a zip bomb, not a report
MAX_PARTS = 5000  # a document has tens of parts, a few hundred with many pictures


class Unusable(ValueError):
    """A file that cannot be cleaned; the message, in Chinese, follows the file's name."""


# Images --------------------------------------------------------------------------------------


def scrub_image(data: bytes, extension: str) -> bytes:
    """Re-encode a JPG or PNG from its pixels alone (orientation applied first)."""
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG" if extension == "jpg" else "PNG"]) as image:
            # The header is read, no pixel yet: refuse here, with a limit of our own rather than
            # changing Pillow's process-wide MAX_IMAGE_PIXELS.
            if image.width * image.height > MAX_PIXELS:
                raise Unusable(f"的图片尺寸过大（超过 {MAX_PIXELS // 1_000_000 * 100} 万像素），请缩小或截图后再上传。")
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            clean = image if image.mode in {"RGB", "RGBA", "L"} else image.convert("RGBA")
            pixels = Image.new(clean.mode, clean.size)  # a new image has no info: only the pixels are copied
            pixels.paste(clean)
    except Unusable:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, higher, limit: neither OSError nor ValueError
        raise Unusable("的图片尺寸过大，请缩小或截图后再上传。") from exc
    except Exception as exc:  # decoders fail in many ways on hostile input: each is a refusal, not a 500
        raise Unusable("不是有效的图片。") from exc
    out = io.BytesIO()
    if extension == "jpg":
        pixels.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        pixels.save(out, format="PNG")
    return out.getvalue()


# Kept APPn segments carry what decoding needs (JFIF, colour profile, picture index, Adobe colour
# transform); every other APPn and comment (Exif, XMP, IPTC, maker data) becomes a zeroed comment.
_KEEP_APP = {0xE0: (b"JFIF", b"JFXX"), 0xE2: (b"ICC_PROFILE", b"MPF"), 0xEE: (b"Adobe",)}
# Scan data ends at the first FF that is not a stuffed FF00, a restart marker or a fill byte.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def blank_jpeg(buf: bytearray, start: int = 0, stop: int | None = None) -> None:
    """Zero the metadata segments of every JPEG image in buf[start:stop], in place."""
    stop = len(buf) if stop is None else stop
    # An MPO (several pictures in one file) carries an Exif block per picture.
    while (start := buf.find(b"\xff\xd8\xff", start, stop)) >= 0:
        start = _blank_jpeg_segments(buf, start + 2, stop)


def _blank_jpeg_segments(buf: bytearray, i: int, stop: int) -> int:
    """Walk one image's segments from after its SOI; return the offset after its EOI."""
    while i + 4 <= stop:
        if buf[i] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = buf[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:
            return i + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            i += 2
            continue
        length = int.from_bytes(buf[i + 2 : i + 4])
        end = i + 2 + length
        if length < 2 or end > stop:
            raise ValueError("JPEG segment past the end")
        if marker == 0xFE or (0xE0 <= marker <= 0xEF and not buf.startswith(_KEEP_APP.get(marker, ()), i + 4, end)):
            buf[i + 1] = 0xFE
            buf[i + 4 : end] = bytes(length - 2)
        i = end
        if marker == 0xDA:
            found = _SCAN_END.search(buf, i, stop)
            if found is None:
                raise ValueError("JPEG scan without an end")
            i = found.start()
    raise ValueError("JPEG without an end")


_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"caBX"}


def clean_png(data: bytes) -> bytes:
    """The PNG without its text, Exif, time and provenance chunks (pixels untouched)."""
    kept, i = [data[:8]], 8
    while i + 12 <= len(data):
        kind, end = data[i + 4 : i + 8], i + 12 + int.from_bytes(data[i : i + 4])
        if kind not in _PNG_DROP:
            kept.append(data[i:end])
        i = end
        if kind == b"IEND":
            break  # whatever follows is not part of the picture
    return b"".join(kept)


# Video ---------------------------------------------------------------------------------------

_MOVIE_STRUCTURE = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"moof", b"mfra", b"styp", b"sidx"}
_MOVIE_METADATA = {b"udta", b"meta", b"uuid"}
_MAX_BOXES = 10_000  # per container; real movies have tens: more is a file built to keep us busy


def boxes(buf: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, content start, end) of each ISO-BMFF box in buf[start:end]; ValueError if malformed."""
    i, count = start, 0
    while i < end:
        count += 1
        if count > _MAX_BOXES:
            raise ValueError("too many boxes")
        if end - i < 8:
            if any(buf[i:end]):  # QuickTime may end a list with zero bytes
                raise ValueError("box header past the end")
            return
        size, kind, header = int.from_bytes(buf[i : i + 4]), bytes(buf[i + 4 : i + 8]), 8
        if size == 1:
            size, header = int.from_bytes(buf[i + 8 : i + 16]), 16
        elif size == 0:  # to the end of the container
            size = end - i
        if size < header or i + size > end:
            raise ValueError("box past the end")
        yield kind, i, i + header, i + size
        i += size


def _free(buf: bytearray, start: int, end: int) -> None:
    """Overwrite the box at buf[start:end] by a zero-filled free box of the same size."""
    buf[start:end] = (end - start).to_bytes(4) + b"free" + bytes(end - start - 8)


def scrub_video(data: bytes) -> bytes:
    """The MP4/MOV with its metadata boxes turned into free space (same size, same offsets)."""
    buf = bytearray(data)
    try:
        top = list(boxes(buf, 0, len(buf)))
        if not any(kind == b"moov" for kind, *_ in top):
            raise ValueError("no movie box")
        # Overwriting keeps every size, so the walk below reads the same boxes as before.
        for kind, start, inner, end in top:
            if kind not in _MOVIE_STRUCTURE:
                _free(buf, start, end)  # vendor boxes (Samsung, camera makers) and top-level XMP
            elif kind == b"moov":
                for child, child_start, child_inner, child_end in boxes(buf, inner, end):
                    if child in _MOVIE_METADATA:
                        _free(buf, child_start, child_end)
                    elif child == b"trak":
                        for leaf, leaf_start, _, leaf_end in boxes(buf, child_inner, child_end):
                            if leaf in _MOVIE_METADATA:
                                _free(buf, leaf_start, leaf_end)
    except ValueError as exc:
        raise Unusable("不是有效的视频文件（可能不完整）。") from exc
    return bytes(buf)


# Word ----------------------------------------------------------------------------------------

# Elements of docProps/core.xml and app.xml that name a person or an organisation: their text goes.
_NAMING_ELEMENT = re.compile(
    rb"(<(?:[\w.-]+:)?(creator|lastModifiedBy|Company|Manager|HyperlinkBase)(?:\s[^>]*)?(?<!/)>)[^<]*(</(?:[\w.-]+:)?\2\s*>)"
)
# Tracked changes, comments and the people list (w:author, w15:author, w15:userId, ...).
_NAMING_ATTRIBUTE = re.compile(rb"(\s[\w.-]+:(?:author|initials|userId|providerId)\s*=\s*)(?:\"[^\"]*\"|'[^']*')")
_CUSTOM_ROOT = re.compile(rb"<(?:[\w.-]+:)?Properties\b[^>]*/custom-properties[\"']")
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
_TARGET = re.compile(rb"(\sTarget\s*=\s*[\"'])([^\"']*)([\"'])")
_LOCAL_PATH = re.compile(rb"file:|[A-Za-z]:[\\/]|\\\\", re.IGNORECASE)


def _local_file_name(match: re.Match[bytes]) -> bytes:
    """A relationship target: a local path (file:///C:\\Users\\name\\...) is cut to its file name."""
    target = match[2]
    if _LOCAL_PATH.match(target):
        target = re.split(rb"[\\/]|%5[cC]|%2[fF]", target)[-1]
    return match[1] + target + match[3]


def _scrub_part(name: str, content: bytes) -> bytes:
    """One part of the package, cleaned by what it is."""
    if content.startswith(b"\xff\xd8\xff"):
        image = bytearray(content)
        with contextlib.suppress(ValueError):  # a damaged picture: the segments before the damage are cleaned
            blank_jpeg(image)
        return bytes(image)
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return clean_png(content)
    if name.lower().endswith(".rels"):
        return _TARGET.sub(_local_file_name, content)
    if name.lower().endswith(".xml"):
        if _CUSTOM_ROOT.search(content[:2048]):
            return _EMPTY_CUSTOM
        return _NAMING_ATTRIBUTE.sub(rb'\1""', _NAMING_ELEMENT.sub(rb"\1\3", content))
    return content


def scrub_docx(data: bytes) -> bytes:
    """The DOCX rewritten with its authors, company and file paths blanked (every part kept)."""
    out, total = io.BytesIO(), 0
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            if len(source.infolist()) > MAX_PARTS:
                raise Unusable("包含的部件过多，不是正常的 Word 文档。")
            for info in source.infolist():
                if info.is_dir():
                    continue
                with source.open(info) as part:
                    content = part.read(MAX_UNZIPPED - total + 1)  # never inflate past the limit
                total += len(content)
                if total > MAX_UNZIPPED:
                    raise Unusable("解压后过大，不是正常的 Word 文档。")
                # A fresh entry: no timestamp, no extra field (Unix owner ids) and no comment.
                entry = zipfile.ZipInfo(info.filename)
                target.writestr(entry, _scrub_part(info.filename, content), compress_type=zipfile.ZIP_DEFLATED)
    except Unusable:
        raise
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise Unusable("不是有效的 Word 文档。") from exc
    return out.getvalue()


# PDF -----------------------------------------------------------------------------------------

_INFO_KEYS = {b"Author", b"Creator", b"Producer", b"Title", b"Subject", b"Keywords"}
_INFO_REF = re.compile(rb"/Info\s*(\d+)\s+(\d+)\s+R\b")
_OBJECT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_REF = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ENCRYPTED = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_XMP_START = re.compile(rb"<(\w+):x[am]pmeta\b")
_EMPTY_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
_JPEG_STREAM = re.compile(rb"stream\r?\n(?=\xff\xd8\xff)")
_WHITE, _DELIMITERS = b"\x00\t\n\x0c\r ", b"()<>[]{}/%"
# An Info dictionary is small and there is one per revision: beyond these bounds a file is built
# to keep us busy, and what lies beyond is left as it is.
_INFO_SPAN, _MAX_REVISIONS = 1 << 14, 100


def _skip_white(buf: bytearray, i: int, stop: int) -> int:
    """The first offset from i that is not white space."""
    while i < stop and buf[i] in _WHITE:
        i += 1
    return i


def _string_end(buf: bytearray, i: int, stop: int) -> int | None:
    """The offset after the literal (...) or hex <...> string at i, or None if none ends there."""
    if buf[i] == 0x3C and buf[i + 1 : i + 2] != b"<":
        end = buf.find(b">", i, stop)
        return None if end < 0 else end + 1
    if buf[i] != 0x28:
        return None
    depth = 0
    while i < stop:
        if buf[i] == 0x5C:  # a backslash escapes the next byte, parentheses included
            i += 1
        elif buf[i] == 0x28:
            depth += 1
        elif buf[i] == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _empty_string(buf: bytearray, i: int, end: int) -> None:
    """Overwrite the string at buf[i:end] by an empty one of the same kind, padded with spaces."""
    buf[i:end] = (b"()" if buf[i] == 0x28 else b"<>") + b" " * (end - i - 2)


def _blank_info(buf: bytearray, i: int, referenced: set[tuple[bytes, bytes]]) -> None:
    """Empty the identifying strings of the Info dictionary at i; note those given by reference."""
    stop = min(len(buf), i + _INFO_SPAN)
    i = _skip_white(buf, i, stop)
    if buf[i : i + 2] != b"<<":
        return
    depth = 0
    while i < stop:
        if bytes(buf[i : i + 2]) in (b"<<", b">>"):
            depth += 1 if buf[i] == 0x3C else -1
            i += 2
            if depth == 0:
                return
        elif buf[i] in b"(<":
            end = _string_end(buf, i, stop)
            if end is None:
                return
            i = end
        elif buf[i] == 0x25:  # a comment, to the end of the line
            while i < stop and buf[i] not in b"\r\n":
                i += 1
        elif buf[i] == 0x2F:
            j = i + 1
            while j < stop and buf[j] not in _WHITE and buf[j] not in _DELIMITERS:
                j += 1
            name = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), bytes(buf[i + 1 : j]))
            i = j
            if depth == 1 and name in _INFO_KEYS:
                j = _skip_white(buf, j, stop)
                end = _string_end(buf, j, stop) if j < stop else None
                if end is not None:
                    _empty_string(buf, j, end)
                    i = end
                elif ref := _REF.match(buf, j):
                    referenced.add((ref[1], ref[2]))
        else:
            i += 1


def _blank_xmp(buf: bytearray) -> None:
    """Replace every uncompressed XMP packet by an empty one, padded with spaces to the same length."""
    i = 0
    while opening := _XMP_START.search(buf, i):
        close = re.compile(rb"</" + re.escape(opening[1]) + rb":x[am]pmeta\s*>").search(buf, opening.end())
        if close is None:
            return  # no packet ends after this point
        span = close.end() - opening.start()
        empty = _EMPTY_XMP if span >= len(_EMPTY_XMP) else b""  # too short to hold an empty packet: spaces only
        buf[opening.start() : close.end()] = empty + b" " * (span - len(empty))
        i = close.end()


def _blank_stored_jpegs(buf: bytearray) -> None:
    """Zero the metadata segments of the JPEG images stored as-is in the PDF's streams."""
    for stream in _JPEG_STREAM.finditer(buf):
        stop = buf.find(b"endstream", stream.end())
        if stop < 0:
            return  # no stream ends after this point
        with contextlib.suppress(ValueError):  # a damaged image: the segments before the damage are blanked
            blank_jpeg(buf, stream.end(), stop)


def scrub_pdf(data: bytes) -> bytes:
    """The PDF with its Info strings, XMP and stored JPEG metadata blanked in place (same length)."""
    if _ENCRYPTED.search(data):
        return data  # strings and streams are ciphertext: nothing can be blanked safely
    buf = bytearray(data)
    info = {(m[1], m[2]) for m in _INFO_REF.finditer(buf)}
    referenced: set[tuple[bytes, bytes]] = set()
    # Every revision of the Info dictionary: an incremental save keeps the old ones in the file.
    revisions = [found.end() for found in _OBJECT.finditer(buf) if (found[1], found[2]) in info]
    for at in revisions[:_MAX_REVISIONS]:
        _blank_info(buf, at, referenced)
    if referenced:  # /Author 12 0 R: the string is an object of its own
        strings = [found.end() for found in _OBJECT.finditer(buf) if (found[1], found[2]) in referenced]
        for after in strings[:_MAX_REVISIONS]:
            at = _skip_white(buf, after, len(buf))
            end = _string_end(buf, at, min(len(buf), at + _INFO_SPAN)) if at < len(buf) else None
            if end is not None:
                _empty_string(buf, at, end)
    _blank_xmp(buf)
    _blank_stored_jpegs(buf)
    return bytes(buf)
