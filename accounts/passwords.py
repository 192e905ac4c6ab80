"""Password rules beyond Django's: three character classes, not the username."""

import re

from django.core.exceptions import ValidationError

CLASSES = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^a-zA-Z0-9]")]


class CharacterClassValidator:
    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_classes")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_username")

    def get_help_text(self):
        return "密码不能包含用户名。"
