from django.core.management.base import BaseCommand

from fiveones import services
from orgs.commands import organisation_option


class Command(BaseCommand):
    help = "提醒本年度“五个一”未全部完成的成员还差哪几项。huey 在每年 10、11、12 月 1 日自动运行。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="只提醒该组织（slug）")
        parser.add_argument("--year", type=int, help="年度，默认今年")

    def handle(self, *args, **options):
        organisation = organisation_option(options["org"])
        count = services.remind_incomplete(organisation=organisation, year=options["year"])
        self.stdout.write(f"已提醒 {count} 位成员。")
