"""The ferry's records: numbered one-way bundles out of the intake node, their imports inside, and the
return channel's numbered files (kept in the tables the petitions app first made for them)."""

from django.conf import settings
from django.db import models


class NumberedExport(models.Model):
    """A file made for the other side of the transfer, numbered in order, with who made it when."""

    seq = models.PositiveIntegerField("序号", unique=True)
    created_at = models.DateTimeField("导出时间")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-seq"]


class ExportedBundle(NumberedExport):
    """A bundle made on the intake node, numbered in order; what it carried is marked with its id, so the
    same bundle can be made again if its file is lost (the import recognises it by id)."""

    bundle_id = models.CharField(max_length=36, unique=True)
    petitions = models.PositiveIntegerField(default=0)
    additions = models.PositiveIntegerField(default=0)
    attachments = models.PositiveIntegerField(default=0)
    surveys = models.PositiveIntegerField(default=0)
    reexported = models.PositiveIntegerField("重新导出次数", default=0)

    class Meta(NumberedExport.Meta):
        db_table = "petitions_exportedbundle"

    def __str__(self) -> str:
        return f"数据包 {self.seq}"


class ReplyExport(NumberedExport):
    """On the internal side: a numbered return bundle (announcements and reporters' views) for the intake node."""

    announcements = models.PositiveIntegerField(default=0)
    petitions = models.PositiveIntegerField(default=0)

    class Meta(NumberedExport.Meta):
        db_table = "petitions_replyexport"

    def __str__(self) -> str:
        return f"回传数据包 {self.seq}"


class ReplyImport(models.Model):
    """On the intake node: a return bundle imported; the newest one's time decides whether a later
    file's announcements are applied (an older file arriving late never puts back what changed)."""

    seq = models.PositiveIntegerField("序号")
    made_at = models.DateTimeField("内网导出时间")
    imported_at = models.DateTimeField(auto_now_add=True)
    announcements = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "petitions_replyimport"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"回传数据包 {self.seq}"


class ImportedBundle(models.Model):
    """A bundle from the intake node, imported exactly once."""

    bundle_id = models.CharField(max_length=36, unique=True)
    # The node's numbering (absent in bundles made before it existed): gaps name bundles still to come.
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    # Which node numbered it (the id of that node's first bundle): numbers count per node.
    node = models.CharField(max_length=36, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField()
    signer = models.CharField("签名公钥指纹", max_length=64)

    class Meta:
        db_table = "petitions_importedbundle"

    def __str__(self) -> str:
        return self.bundle_id
