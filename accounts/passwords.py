"""Password rules beyond Django's: three character classes, not the username; Django's length,
similarity and common-password rules with Chinese messages."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]")]


class CharacterClassValidator:
    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < 3:
            raise ValidationError(_("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """No reuse of the current password or of the last 5 (issue 11). `password_changed` keeps the
    history whenever a password is set, by whichever path."""

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        from accounts.models import PasswordHistory
        from accounts.security import HISTORY

        if user is None or user.pk is None:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:HISTORY])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(_("新密码不能与当前密码或最近5次使用过的密码相同。"), code="password_reused")

    def password_changed(self, password, user=None):
        from accounts.security import record_password

        if user is not None:
            record_password(user)

    def get_help_text(self):
        return _("新密码不能与当前密码或最近5次使用过的密码相同。")


# Django's own validators answer in English here (its zh_Hans catalogue lacks these plural
# forms), so the three used in settings are subclassed with Chinese messages.
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短，至少需要 %(min_length)d 个字符。"),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(_("密码与用户名、姓名或邮箱过于相似。"), code="password_too_similar") from None

    def get_help_text(self):
        return _("密码不能与用户名、姓名或邮箱相似。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(_("这个密码太常见，请换一个。"), code="password_too_common") from None

    def get_help_text(self):
        return _("密码不能是常见密码。")
