from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login. Its role lives in `orgs.Membership`; its registry record in `people.Person`."""

    name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.name or self.username


class LoginFailure(models.Model):
    """A failed login, counted for the lockout of an account and of an IP."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
