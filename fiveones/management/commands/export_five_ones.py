from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.exports import write_xlsx
from fiveones import services
from fiveones.exports import ledger_rows
from fiveones.queries import ledgers
from orgs.commands import organisation_option


class Command(BaseCommand):
    help = "导出某组织某年度的“五个一”台账（.xlsx）：每位成员一行，每个项目一列写明如何完成。导出记入审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织 slug")
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")
        parser.add_argument("-o", "--output", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, **options):
        organisation = organisation_option(options["org"])
        year = options["year"] or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不正确。")
        rows = ledgers(organisation, year)
        content = write_xlsx(
            ledger_rows(rows),
            title=f"{year}年“五个一”活动台账",
            watermark=f"命令行导出于 {timezone.localtime():%Y-%m-%d %H:%M}",
            widths=[6, 10, 16, 30, 30, 30, 30, 30, 10],
        )
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写入 {options['output']}：{error.strerror}") from error
        services.record_export(organisation, by=None, year=year, rows=len(rows))
        self.stdout.write(f"已导出 {len(rows)} 位成员的{year}年五个一台账到 {options['output']}。")
