from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from study import services


class Command(BaseCommand):
    help = "提醒未读学习材料的成员（期限前 48 小时内或已逾期，每人每份材料一次）。huey 每天 9:00 自动运行。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只提醒该组织（slug）")

    def handle(self, *args, **options):
        organisation = None
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"没有 slug 为 {options['org']} 的组织。")
        count = services.remind_unread(organisation=organisation)
        self.stdout.write(f"已发送学习提醒 {count} 条。")
