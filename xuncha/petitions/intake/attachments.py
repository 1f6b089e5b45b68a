"""Attachments of a petition: files checked and cleaned by `core.uploads`, then sealed in chunks to sealed
storage (`core.sealed_files`), each with its own key sealed to the internal key."""

from collections.abc import Iterator

from django.core.exceptions import ValidationError

from xuncha.core.sealed_fields import sealed_field
from xuncha.core.sealed_files import open_file, seal_file, storage
from xuncha.core.uploads import MAX_FILES, Checked
from xuncha.petitions.models import Attachment, Petition

PURPOSE = "attachment"
FOLDER = "attachments"


def attach(petition: Petition, files: list[Checked]) -> list[Attachment]:
    """Store checked files with the petition, sealed; no more than MAX_FILES in all."""
    if not files:
        return []
    if len(files) + petition.attachments.count() > MAX_FILES:
        raise ValidationError(f"每件反映最多上传 {MAX_FILES} 个附件。")
    key_field = sealed_field(Attachment, "sealed_key")
    stored = []
    for f in files:
        sealed = seal_file(f.data, purpose=PURPOSE, folder=FOLDER)
        stored.append(
            Attachment.objects.create(
                petition=petition,
                kind=f.kind,
                extension=f.extension,
                size=sealed.size,
                stored_name=sealed.name,
                digest=sealed.digest,
                sealed_key=key_field.seal(sealed.key),
            )
        )
    return stored


def attachment_chunks(attachment: Attachment) -> Iterator[bytes]:
    """The file's plaintext, chunk by chunk (internal side only: the key opens with the private key)."""
    key = attachment.sealed_key.open() if attachment.sealed_key is not None else None
    return open_file(attachment.stored_name, key, purpose=PURPOSE)


def attachment_bytes(attachment: Attachment) -> bytes:
    return b"".join(attachment_chunks(attachment))


def reseal_whole_files(batch: int = 10) -> int:
    """Files kept in the format before chunks (moved from the database as they were) re-sealed in chunks
    with a key of their own; run by the key rotation's rewrap. Returns how many."""
    done = 0
    key_field = sealed_field(Attachment, "sealed_key")
    while True:
        legacy = list(Attachment.objects.filter(sealed_key__isnull=True).order_by("pk")[:batch])
        if not legacy:
            return done
        for attachment in legacy:
            old = attachment.stored_name
            sealed = seal_file(attachment_chunks(attachment), purpose=PURPOSE, folder=FOLDER)
            Attachment.objects.filter(pk=attachment.pk).update(
                stored_name=sealed.name, digest=sealed.digest, sealed_key=key_field.seal(sealed.key)
            )
            storage().delete(old)
            done += 1
