from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from reports import services


class Command(BaseCommand):
    help = "Write the year-end work summary (年度工作总结) of an organisation and year as a .docx draft."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, org, year, output, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为 {org} 的组织", returncode=2)
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不正确", returncode=2)
        content = services.export_docx(organisation, by=None, year=year)
        Path(output).write_bytes(content)
        self.stdout.write(f"已生成 {organisation.name}{year}年统战工作总结草稿：{output}（{len(content) // 1024} KB）")
