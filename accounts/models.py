from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Its role lives in `orgs.Membership`; its registry record in `people.Person`."""

    name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.name or self.username


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
