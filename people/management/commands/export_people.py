from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exports import write_xlsx
from orgs.models import Organisation
from people import exports, services
from people.models import Category, Person


class Command(BaseCommand):
    help = (
        "Export the registry to .xlsx (contact data masked unless --purpose is given). "
        "The export is audited and watermarked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--category", default="", help="only this category, e.g. 留学回国人员")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--purpose", default="", help="export phone and e-mail unmasked, for this purpose")

    def handle(self, *args, org, category, output, purpose, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为“{org}”的组织")
        codes = {label: code for code, label in Category.choices} | {code: code for code, _ in Category.choices}
        if category and category not in codes:
            raise CommandError(f"未知类别“{category}”，可选：{'、'.join(label for _, label in Category.choices)}")
        people = Person.objects.for_org(organisation).matching(category=codes.get(category, ""))
        rows = people.count()
        title = f"统战对象名册（{category}）" if category else "统战对象名册"
        with Path(output).open("wb") as file:
            write_xlsx(
                exports.registry_rows(people, unmasked=bool(purpose)),
                title=title,
                watermark=services.watermark(None),
                output=file,
            )
        services.record_export(
            organisation,
            by=None,
            what=title,
            filter=f"统战对象类别：{category}" if category else "全部",
            rows=rows,
            purpose=purpose,
        )
        self.stdout.write(f"已导出 {rows} 人到 {output}")
