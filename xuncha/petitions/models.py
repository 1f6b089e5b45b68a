"""Petitions. Everything identifying or said by a reporter is stored sealed (sealing.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from xuncha.core.models import BaseModel
from xuncha.core.sealed_fields import SealedField
from xuncha.petitions.choices import Channel, ContactMethod, Disposition, PetitionStatus, SourceRequirement


class Petition(BaseModel):
    """One report (信访件). Identity and content are sealed; the receipt code is kept only as a hash."""

    assignment = models.ForeignKey("planning.Assignment", on_delete=models.PROTECT, related_name="petitions")
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices)
    anonymous = models.BooleanField("匿名", default=True)
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - null when absent, unique when present
    # The public half of the key only the receipt code's holder can derive (receipts.reporter_key).
    reporter_public = models.BinaryField(null=True, editable=False)
    sealed_identity = SealedField("信访件·身份信息", purpose="identity", null=True)
    sealed_content = SealedField("信访件·反映内容", purpose="content")
    status = models.CharField("状态", max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED)
    received_at = models.DateTimeField("收到时间")
    # One-way transfer: the intake node's reference, and the bundle this petition left in.
    intake_ref = models.CharField(max_length=36, null=True, blank=True, editable=False)  # noqa: DJ001 - null when absent, unique when present
    exported_in = models.CharField(max_length=36, blank=True, editable=False)
    out_of_hours = models.BooleanField("非接访时间来电", default=False)
    # Staff decisions (suggestions are computed, never stored as decisions).
    category = models.CharField("纪律分类", max_length=30, blank=True)
    petition_class = models.CharField("信访类别", max_length=30, blank=True)
    disposition = models.CharField("处置方式", max_length=30, blank=True, choices=Disposition.choices)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates", db_index=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # Public submissions carry no creator; staff registrations are found by assignment, never by creator.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField("处置时间", null=True, blank=True)
    # SLA clocks (domain.md §11), set on receipt from the committee's parameters.
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    sign_due = models.DateField("签收时限", null=True)
    handle_due = models.DateField("办理时限", null=True)
    ack_due = models.DateField("实名告知时限", null=True, blank=True)
    acknowledged_at = models.DateTimeField("实名告知时间", null=True, blank=True)
    acknowledged_via = models.CharField("告知方式", max_length=20, choices=ContactMethod.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    reply_due = models.DateField("实名反馈时限", null=True, blank=True)
    replied_at = models.DateTimeField("实名反馈时间", null=True, blank=True)
    replied_via = models.CharField("反馈方式", max_length=20, choices=ContactMethod.choices, blank=True)

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["-received_at", "-id"]
        # Every public submission writes each index: only those a query uses, partial where most rows are null.
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_hash"], condition=Q(receipt_hash__isnull=False), name="petition_receipt_unique"
            ),
            models.UniqueConstraint(
                fields=["intake_ref"], condition=Q(intake_ref__isnull=False), name="petition_intake_ref_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(sign_due__isnull=True), name="petition_unprocessed"),
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False), name="petition_merged_into"),
            # The queue's order: a page of the newest is read from the index, not sorted from every row.
            models.Index(fields=["-received_at", "-id"], name="petition_queue_order"),
        ]

    def __str__(self) -> str:
        return f"信访件 {self.number}"

    @property
    def number(self) -> str:
        return f"{self.received_at:%Y}-{self.pk:05d}"


class PetitionMessage(BaseModel):
    """The dialogue with the reporter: additions from the reporter and replies from the team."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="messages")
    from_reporter = models.BooleanField()
    sealed_body = SealedField("往来消息", purpose="message")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The one-way transfer (bundles.py): a reporter's addition taken in on the intake node travels on its own.
    intake_ref = models.CharField(max_length=36, null=True, blank=True, editable=False)  # noqa: DJ001 - null when absent, unique when present
    exported_in = models.CharField(max_length=36, blank=True, editable=False)

    class Meta:
        verbose_name = "往来消息"
        verbose_name_plural = "往来消息"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake_ref"], condition=Q(intake_ref__isnull=False), name="message_intake_ref_unique"
            )
        ]


class PetitionNote(BaseModel):
    """An internal note of the team; never shown to the reporter."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notes")
    sealed_body = SealedField("内部备注", purpose="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "内部备注"
        verbose_name_plural = "内部备注"
        ordering = ["created_at", "id"]


class PetitionTerm(models.Model):
    """One keyed hash of a term of a petition's sealed text: the blind search index (search.py, ADR 0019)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    term = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "petition"], name="petition_term_unique")]

    def __str__(self) -> str:
        return f"检索项 {self.pk}"


class PetitionSignature(models.Model):
    """The MinHash signature of a petition's content (keyed hashes: it reveals no text)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, primary_key=True, related_name="signature")
    minhash = models.BinaryField()

    def __str__(self) -> str:
        return f"signature of {self.petition_id}"


class PetitionBand(models.Model):
    """One LSH band value of a petition; petitions sharing a band are near-duplicate candidates.

    The petition's assignment and time of receipt are copied in (a petition never moves), so a lookup
    of earlier petitions of one assignment reads this covering index and nothing else."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="bands")
    # A copy of the petition's own (protected) link: no second constraint to check on every write.
    assignment = models.ForeignKey(
        "planning.Assignment", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    received_at = models.DateTimeField()
    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["assignment", "band", "value"], include=["petition", "received_at"], name="petition_band_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"band {self.band} of {self.petition_id}"


class PetitionBandCount(models.Model):
    """How many petitions fall in each LSH bucket: very full buckets (boilerplate) are skipped in lookups."""

    band = models.PositiveSmallIntegerField()
    value = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["band", "value"], name="band_count_unique")]

    def __str__(self) -> str:
        return f"bucket {self.band}:{self.value} ({self.count})"


class PetitionMatter(models.Model):
    """One keyed hash of who and what a petition is about (a person of the roster and a kind of matter or a
    particular): near-duplicates that share few words (triage/matters.py, ADR 0022). Reveals no text."""

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    # Copies of the petition's own fields (a petition never moves), as PetitionBand: one covering index.
    assignment = models.ForeignKey(
        "planning.Assignment", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    received_at = models.DateTimeField()
    feature = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["assignment", "feature"], include=["petition", "received_at"], name="petition_matter_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"事项特征 {self.pk}"


class CategoryFeature(models.Model):
    """Learned counts: how often a (keyed-hashed) word appeared in petitions staff put in a category."""

    category = models.CharField(max_length=30)
    feature = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "feature"], name="category_feature_unique")]

    def __str__(self) -> str:
        return f"{self.category}:{self.feature}"


class Referral(BaseModel):
    """转办: a petition referred to the competent body, with letter number, dates, result and its due date."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="referral")
    receiver = models.CharField("承办单位", max_length=100)
    letter_no = models.CharField("转办文号", max_length=60)
    sent_on = models.DateField("转办日期")
    due_on = models.DateField("办理时限")
    acknowledged_on = models.DateField("签收日期", null=True, blank=True)
    sealed_result = SealedField("转办办理结果", purpose="referral_result", null=True, blank=True)
    result_on = models.DateField("结果回复日期", null=True, blank=True)

    class Meta:
        verbose_name = "转办记录"
        verbose_name_plural = "转办记录"


class IncomingReferral(BaseModel):
    """上级转办/交办: the sender's letter that brought a petition to the team, what it asks, and the report back."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="incoming")
    source_office = models.CharField("来文单位", max_length=100)
    letter_no = models.CharField("来文文号", max_length=60)
    requirement = models.CharField("办理要求", max_length=20, choices=SourceRequirement.choices)
    due_on = models.DateField("报结时限", null=True, blank=True)
    reported_on = models.DateField("报结日期", null=True, blank=True)
    sealed_report = SealedField("上级转办报结情况", purpose="incoming_report", null=True, blank=True)

    class Meta:
        verbose_name = "上级转办"
        verbose_name_plural = "上级转办"

    def __str__(self) -> str:
        return f"{self.source_office} {self.letter_no}"


class ReporterView(models.Model):
    """On the intake node: what the reporter may read — the status and the dialogue — as the internal
    side last sent it, sealed to the reporter's own key, so this node can show it only to the code's
    holder and read none of it itself."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="reporter_view")
    sealed = models.BinaryField(editable=False)
    made_at = models.DateTimeField("内网生成时间")

    def __str__(self) -> str:
        return f"反映人视图 {self.petition_id}"


class Attachment(BaseModel):
    """A file sent with a petition: type checked by content, image metadata stripped, stored sealed."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=10)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField("大小")
    # The file itself is in sealed storage (core/sealed_files.py), encrypted with its own key; the key is
    # sealed here, so key rotation rewraps the key and never the file.
    stored_name = models.CharField(max_length=200, editable=False)
    digest = models.CharField("SHA-256（密文）", max_length=64, editable=False)
    sealed_key = SealedField("附件", purpose="attachment_key", raw=True, null=True)
    intake_ref = models.CharField(max_length=36, null=True, blank=True, editable=False)  # noqa: DJ001 - null when absent, unique when present
    exported_in = models.CharField(max_length=36, blank=True, editable=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake_ref"], condition=Q(intake_ref__isnull=False), name="attachment_intake_ref_unique"
            )
        ]

    def __str__(self) -> str:
        return f"附件{self.pk}.{self.extension}"
