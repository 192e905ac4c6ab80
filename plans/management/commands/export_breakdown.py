from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import audit
from orgs.models import Organisation
from plans.exports import FORMATS, breakdown
from plans.models import Plan


class Command(BaseCommand):
    help = "Export the task breakdown table (任务分解表) of an organisation's plan for a year."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, org, year, format, output, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为 {org} 的组织", returncode=2)
        plans = Plan.objects.for_org(organisation).filter(year=year)
        plan = plans.filter(status=Plan.Status.PUBLISHED).first() or plans.first()
        if plan is None:
            raise CommandError(f"{organisation.name}没有 {year} 年的工作要点", returncode=2)
        data, _ = breakdown(plan, fmt=format)
        Path(output).write_bytes(data)
        changes = {"format": format, "rows": plan.items.count(), "path": output}
        audit.log("export", plan, changes=changes, username="manage.py")
        self.stdout.write(f"已导出 {plan.title} 任务分解表（{plan.items.count()} 项）到 {output}")
