from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField


class User(AbstractUser):
    """A login. Its role lives in `orgs.Membership`; its registry record in `people.Person`."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # The campus identity's staff number (工号): single sign-on finds the account by it.
    staff_number = models.CharField(_("工号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number"], condition=~models.Q(staff_number=""), name="user_unique_staff_number"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def audit_organisation(self):
        """The organisation of the account's membership (None without one), for its audit rows."""
        membership = getattr(self, "membership", None)
        return membership.organisation if membership else None


class LoginThrottle(models.Model):
    """Failed logins counted in one row per existing account (which locks it) and one row per
    client address (which slows it down), so that a count is raised by one atomic UPDATE.
    A count whose last failure is older than the lockout window starts again from zero."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("IP 地址")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("账号或地址"), max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("登录失败计数")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.failures}"


class PasswordResetRequest(models.Model):
    """三员分立: the system admin never sets another account's password. It asks for a reset; a
    security admin (not the account itself) approves; only then a one-time link goes to the
    account's own e-mail address. Neither admin ever sees the link or the new password."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准，链接已发送")
        REJECTED = "rejected", _("已驳回")

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("发送到"))
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("密码重置申请")

    def __str__(self) -> str:
        return f"{self.user} {self.get_status_display()}"


class AuditLookup(models.Model):
    """The audit admin sees registry subjects in the audit log only as pseudonyms ("统战对象 #12").
    To see who a subject is, it asks with a reason; a security admin approves; the names of that
    subject's rows then show for TONGXIN_AUDIT_LOOKUP_HOURS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    reason = models.CharField(_("理由"), max_length=200)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("审计身份查询申请")

    def __str__(self) -> str:
        return f"{self.object_type} #{self.object_id} {self.get_status_display()}"


# --- Level-3 controls (issue 11): two factors, password policy, sessions ---------------------


class AccountSecurity(models.Model):
    """One account's second factor (TOTP, RFC 6238) and password state. Created on demand."""

    user = models.OneToOneField(User, primary_key=True, related_name="security", on_delete=models.CASCADE)
    # The TOTP secret (base32), encrypted at rest; confirmed once the user typed a valid code.
    totp_secret = EncryptedTextField(_("动态口令密钥"), blank=True)
    totp_confirmed_at = models.DateTimeField(_("启用两步验证时间"), null=True, blank=True)
    # The last accepted time step: a code is never accepted twice.
    totp_last_step = models.PositiveBigIntegerField(default=0)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全设置")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class RecoveryCode(models.Model):
    """A one-time recovery code for the second factor, stored only as a keyed hash."""

    user = models.ForeignKey(User, related_name="recovery_codes", on_delete=models.CASCADE)
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} {'已用' if self.used_at else '未用'}"


class PasswordHistory(models.Model):
    """The hashes of an account's previous passwords: a new password may not repeat the last 5."""

    user = models.ForeignKey(User, related_name="password_history", on_delete=models.CASCADE)
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of an account (device, address, last seen), so the user and the security
    admin can see and end sessions. `last_seen` is written at most every few minutes."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, related_name="tracked_sessions", on_delete=models.CASCADE)
    user_agent = models.CharField(_("设备"), max_length=300, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)
    last_seen = models.DateTimeField(_("最近活动"), db_index=True)
    # The CAS service ticket this session was signed in with: the CAS server's single-logout
    # request names it (issue 17). Blank for other logins.
    sso_ticket = models.CharField(max_length=256, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user} {self.ip or ''}"

    @property
    def device(self) -> str:
        """A short label from the user agent: browser · system (e.g. "Chrome · Windows")."""
        agent = self.user_agent
        browsers = [("MicroMessenger", _("微信")), ("DingTalk", _("钉钉")), ("Edg/", "Edge"), ("Firefox/", "Firefox")]
        browsers += [("Chrome/", "Chrome"), ("Safari/", "Safari")]
        systems = [("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android")]
        systems += [("Mac OS X", "macOS"), ("Linux", "Linux")]
        browser = next((label for key, label in browsers if key in agent), "")
        system = next((label for key, label in systems if key in agent), "")
        return " · ".join(p for p in (browser, system) if p) or (agent[:40] or "—")
