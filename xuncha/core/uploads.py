"""Uploads: photos, video, PDF and Word, checked by content and cleaned of identifying metadata.

The declared name and type are ignored: the first bytes decide. What could name or place the
reporter is removed by `scrubbing` (its docstring says exactly what is and is not removed).
Files are sealed like the rest of the petition and served back only as downloads.

A form's files go through `check_uploads`, which refuses too many or too large files before
reading any of them; `check` takes one file already in memory.
"""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from xuncha.core.scrubbing import Unusable, scrub_docx, scrub_image, scrub_pdf, scrub_video

MB = 1024 * 1024
LIMITS = {"image": 10 * MB, "pdf": 20 * MB, "word": 20 * MB, "video": 100 * MB}
MAX_FILES = 5
# One full-size video with a few photos or documents: bounds the memory of one request and the
# sealed rows (and bundle share) of one report.
MAX_TOTAL = 150 * MB
LABELS = {"image": "图片", "pdf": "PDF 文件", "word": "Word 文档", "video": "视频"}
SCRUB = {"pdf": scrub_pdf, "word": scrub_docx, "video": scrub_video}  # images: scrub_image(data, extension)

# ISO base media (ftyp) brands. The same container holds videos and phone photos (HEIC, AVIF):
# the photos keep their EXIF and GPS there, and nothing here can re-encode them.
VIDEO_BRANDS = {
    *(b"iso" + bytes([c]) for c in b"m23456789"),
    *(b"mp41", b"mp42", b"mp71", b"avc1", b"hvc1", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"f4v "),
    *(b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs6", b"3ge6", b"3g2a", b"3g2b", b"3g2c"),
    *(b"dash", b"msdh", b"msix", b"MSNV", b"XAVC", b"CAEP"),  # streaming and camera makers' own
}
PHOTO_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"mif2"}
PHOTO_BRANDS |= {b"msf1", b"avif", b"avis", b"avio", b"miaf", b"MiHE", b"jpeg", b"jpgs"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}


@dataclass(frozen=True)
class Checked:
    kind: str
    extension: str
    data: bytes


def _ftyp(data: bytes) -> tuple[str, str] | None:
    """(kind, extension) of an ISO base media file from its major and compatible brands."""
    size = int.from_bytes(data[:4])
    if not 16 <= size <= min(len(data), 4096):
        return None
    major, compatible = data[8:12], {data[i : i + 4] for i in range(16, size - 3, 4)}
    if major == b"qt  ":
        return "video", "mov"
    if major in PHOTO_BRANDS or (major not in VIDEO_BRANDS and compatible & PHOTO_BRANDS):
        return "photo-heif", "heic"  # refused by check(), with its own advice
    if major in VIDEO_BRANDS or (major not in AUDIO_BRANDS and compatible & VIDEO_BRANDS):
        return "video", "mp4"
    return None


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, extension) from the content, or None for anything not accepted."""
    if data[:3] == b"\xff\xd8\xff":
        return "image", "jpg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image", "png"
    if data[:5] == b"%PDF-":
        return "pdf", "pdf"
    if data[4:8] == b"ftyp":
        return _ftyp(data)
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "word", "docx"
        except zipfile.BadZipFile:
            return None
    return None


def _short(name: str) -> str:
    """The file's name as shown in a message."""
    return name.replace("\\", "/").rsplit("/", 1)[-1][:40]


def check(name: str, data: bytes) -> Checked:
    """Accept one file (content in memory), cleaned of identifying metadata, or explain in Chinese why not."""
    found = sniff(data)
    if found is None:
        raise ValidationError(
            f"附件“{_short(name)}”的格式不支持：只接受照片（JPG、PNG）、视频（MP4、MOV）、PDF 和 Word（DOCX）文件。"
        )
    kind, extension = found
    if kind == "photo-heif":
        raise ValidationError(
            f"附件“{_short(name)}”是 HEIC/HEIF 格式的照片，暂不接受：请将照片转为 JPG 或 PNG 格式后上传"
            "（手机相册“兼容格式”，或在相机设置中选择“兼容性最佳”），也可截图后上传。"
        )
    if len(data) > LIMITS[kind]:
        raise ValidationError(f"附件“{_short(name)}”过大：{LABELS[kind]}不超过 {LIMITS[kind] // MB} MB。")
    try:
        data = scrub_image(data, extension) if kind == "image" else SCRUB[kind](data)
    except Unusable as exc:
        raise ValidationError(f"附件“{_short(name)}”{exc}") from exc
    return Checked(kind, extension, data)


def check_uploads(files: Sequence[UploadedFile[Any]]) -> list[Checked]:
    """A form's files (request.FILES.getlist): count and sizes refused before any is read, then each checked."""
    if len(files) > MAX_FILES:
        raise ValidationError(f"每件反映最多上传 {MAX_FILES} 个附件，本次选择了 {len(files)} 个。")
    largest = max(LIMITS.values())
    # The sizes the upload handler measured while receiving: nothing is read or decoded yet.
    for f in files:
        if (f.size or 0) > largest:
            raise ValidationError(f"附件“{_short(f.name or '')}”过大：视频不超过 {largest // MB} MB，其他附件更小。")
    total = sum(f.size or 0 for f in files)
    too_much = f"附件合计过大：每件反映的附件合计不超过 {MAX_TOTAL // MB} MB。"
    if total > MAX_TOTAL:
        raise ValidationError(too_much)
    checked, total = [], 0
    for f in files:
        f.seek(0)
        data = f.read(largest + 1)  # bounded even if a size was not known: check() refuses what is over
        total += len(data)
        if total > MAX_TOTAL:
            raise ValidationError(too_much)
        checked.append(check(f.name or "", data))
    return checked
