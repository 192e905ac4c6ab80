import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class AuditEvent(models.Model):
    """One line of the append-only audit log. Written only through `core.audit.record`.

    Tamper-evident: every line carries its place in its organisation's chain (`seq`, organisation-less
    lines form their own chain), the hash of the line before and its own hash (`core.audit_chain`).
    Append-only in the database too: triggers refuse UPDATE and DELETE except the retention purge
    (migration `0003_audit_chain_and_triggers`). On SQLite a migration that rebuilds this table drops
    its triggers: such a migration must create them again (`core.audit_chain.create_triggers`).
    The user and organisation links have no database constraint so that deleting a user or an
    organisation never rewrites (or is blocked by) the log."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    seq = models.PositiveBigIntegerField(_("链序号"), default=0)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True)
    hash = models.CharField(_("本条哈希"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计日志")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="auditevent_chain_seq_unique"),
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(organisation__isnull=True), name="auditevent_global_seq_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        # Append-only: an existing line is never rewritten.
        if self.pk is not None:
            raise ValueError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The last line of one audit chain (`org:<id>` or `none`). Appends lock this row, so two
    writers never take the same place in a chain."""

    chain = models.CharField(max_length=32, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"


class AuditCheckpoint(models.Model):
    """Written by the retention purge: the place and hash of the last line it deleted from a chain,
    signed (HMAC with `AUDIT_CHECKPOINT_KEY`), so the remaining lines still verify."""

    chain = models.CharField(max_length=32, db_index=True)
    seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    deleted = models.PositiveIntegerField(default=0)
    signature = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("审计检查点")

    def __str__(self) -> str:
        return f"{self.chain} ≤ #{self.seq}"


class BackgroundJob(models.Model):
    """Long work (imports, big exports, reports) run by huey; the page polls its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(_("类型"), max_length=50)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker touches this while it works; a pending or running job whose heartbeat (or
    # creation) is older than TONGXIN_JOB_STALE_MINUTES is marked failed (core.jobs.fail_stale_jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # What restarts the job (a name registered with core.jobs.restartable) and its arguments.
    task = models.CharField(max_length=50, blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")

    def __str__(self) -> str:
        return f"{self.kind} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def can_restart(self) -> bool:
        """Failed, restartable, and not restarted yet (the page then offers 重新开始)."""
        from core.jobs import RESTARTERS

        return self.status == self.Status.FAILED and self.task in RESTARTERS and not self.result.get("restarted_as")
