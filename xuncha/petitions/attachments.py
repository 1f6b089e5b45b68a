"""Attachments of a petition: files checked and cleaned by `core.uploads`, then sealed with the petition."""

from django.core.exceptions import ValidationError

from xuncha.core.sealed_fields import sealed_field
from xuncha.core.uploads import MAX_FILES, Checked
from xuncha.petitions.models import Attachment, Petition


def attach(petition: Petition, files: list[Checked]) -> list[Attachment]:
    """Store checked files with the petition, sealed; no more than MAX_FILES in all."""
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
            sealed_data=sealed_field(Attachment, "sealed_data").seal(f.data),
        )
        for f in files
    ]
