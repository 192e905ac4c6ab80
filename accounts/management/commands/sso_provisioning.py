from django.core.management.base import BaseCommand, CommandError

from orgs import services
from orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "Allows (on) or forbids (off) single sign-on to create member accounts for an organisation's registry people."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's slug (代码)")
        parser.add_argument("state", choices=["on", "off"])

    def handle(self, *args, organisation, state, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"没有代码为 {organisation} 的组织。")
        services.set_sso_provisioning(org, allowed=state == "on")
        word = "允许" if state == "on" else "不允许"
        self.stdout.write(f"{org.name}：{word}统一身份认证首次登录自动开通账号。")
