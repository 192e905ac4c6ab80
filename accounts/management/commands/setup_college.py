import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from core import audit
from orgs import services as org_services
from orgs.models import Organisation, Role

ADMINS = [
    ("sysadmin", "系统管理员", Role.SYSADMIN),
    ("secadmin", "安全管理员", Role.SECADMIN),
    ("auditadmin", "审计管理员", Role.AUDITADMIN),
]


def one_time_password() -> str:
    """16 characters from every class the password rules ask for (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits + "@#%+="
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if all(
            any(c in group for c in password)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits, "@#%+=")
        ):
            return password


class Command(BaseCommand):
    help = (
        "A new installation's first step: creates the college (organisation) and its three administrators "
        "(系统/安全/审计管理员, 三员分立) with one-time passwords printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="学校名称，如 某某职业技术学院")
        parser.add_argument("--slug", required=True, help="代码（字母、数字、连字符），如 xxzy")

    def handle(self, *args, name: str, slug: str, **options):
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"代码为 {slug} 的组织已存在，未做任何改动。")
        taken = [u for u, _label, _role in ADMINS if User.objects.filter(username=u).exists()]
        if taken:
            raise CommandError(f"用户名已存在：{'、'.join(taken)}，未做任何改动。")
        created = []
        with transaction.atomic():
            org = Organisation.objects.create(name=name, slug=slug)
            audit.log("create", org, organisation=org, username="setup_college")
            for username, label, role in ADMINS:
                user = User(username=username, name=label)
                password = one_time_password()
                try:
                    validate_password(password, user)
                except ValidationError as error:  # the rules changed under us: say so, save nothing
                    raise CommandError("；".join(error.messages)) from error
                user.set_password(password)
                user.save()
                audit.log("create", user, organisation=org, username="setup_college")
                org_services.assign_role(user, organisation=org, role=role)
                created.append((label, username, password))
        self.stdout.write(f"已创建组织：{org.name}（{org.slug}）及三名管理员（三员分立）：")
        for label, username, password in created:
            self.stdout.write(f"  {label}  用户名 {username}  初始密码 {password}")
        self.stdout.write(
            "请妥善保存以上密码（只显示这一次），登录后立即修改；其他账号由系统管理员创建、安全管理员授权。"
        )
