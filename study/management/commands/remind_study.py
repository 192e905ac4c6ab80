from django.core.management.base import BaseCommand

from orgs.commands import organisation_option
from study import services


class Command(BaseCommand):
    help = "提醒未读学习材料的成员（期限前 48 小时内或已逾期，每人每份材料一次）。huey 每天 9:00 自动运行。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只提醒该组织（slug）")

    def handle(self, *args, **options):
        organisation = organisation_option(options["org"])
        count = services.remind_unread(organisation=organisation)
        self.stdout.write(f"已发送学习提醒 {count} 条。")
