"""Attachments from reporters: photos, video, PDF and Word, checked by content and cleaned.

The declared name and type are ignored: the first bytes decide. Images are re-encoded without
their metadata (EXIF carries GPS positions and camera serial numbers, which can identify a
reporter). Files are sealed like the rest of the petition and served back only as downloads.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from xuncha.petitions.models import Attachment, Petition
from xuncha.petitions.sealing import seal_bytes

MB = 1024 * 1024
LIMITS = {"image": 10 * MB, "pdf": 20 * MB, "word": 20 * MB, "video": 100 * MB}
MAX_FILES = 5
LABELS = {"image": "图片", "pdf": "PDF 文件", "word": "Word 文档", "video": "视频"}


@dataclass(frozen=True)
class Checked:
    kind: str
    extension: str
    data: bytes


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, extension) from the content, or None for anything not accepted."""
    if data[:3] == b"\xff\xd8\xff":
        return "image", "jpg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image", "png"
    if data[:5] == b"%PDF-":
        return "pdf", "pdf"
    if data[4:8] == b"ftyp":
        return "video", "mp4"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "word", "docx"
        except zipfile.BadZipFile:
            return None
    return None


def strip_metadata(data: bytes, extension: str) -> bytes:
    """Re-encode an image without EXIF, XMP or text chunks (orientation applied first)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        clean = ImageOps.exif_transpose(image)
        if clean.mode not in {"RGB", "RGBA", "L"}:
            clean = clean.convert("RGBA")
        pixels = Image.frombytes(clean.mode, clean.size, clean.tobytes())  # the pixels only, no metadata
        out = io.BytesIO()
        if extension == "jpg":
            pixels.convert("RGB").save(out, format="JPEG", quality=90)
        else:
            pixels.save(out, format="PNG")
        return out.getvalue()


def check(name: str, data: bytes) -> Checked:
    """Accept a file or explain, in Chinese, why not."""
    found = sniff(data)
    if found is None:
        raise ValidationError(
            f"附件“{name[:40]}”的格式不支持：只接受照片（JPG、PNG）、视频（MP4）、PDF 和 Word（DOCX）文件。"
        )
    kind, extension = found
    if len(data) > LIMITS[kind]:
        raise ValidationError(f"附件“{name[:40]}”过大：{LABELS[kind]}不超过 {LIMITS[kind] // MB} MB。")
    if kind == "image":
        try:
            data = strip_metadata(data, extension)
        except (OSError, ValueError) as exc:
            raise ValidationError(f"附件“{name[:40]}”不是有效的图片。") from exc
    return Checked(kind, extension, data)


def attach(petition: Petition, files: list[Checked]) -> list[Attachment]:
    if not files:
        return []
    if len(files) + petition.attachments.count() > MAX_FILES:
        raise ValidationError(f"每件反映最多上传 {MAX_FILES} 个附件。")
    return [
        Attachment.objects.create(
            petition=petition,
            kind=f.kind,
            extension=f.extension,
            size=len(f.data),
            sealed_data=seal_bytes(f.data, "attachment"),
        )
        for f in files
    ]
