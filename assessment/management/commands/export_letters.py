from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment import exports, services
from assessment.models import ResponsibilityLetter
from core import audit
from orgs.models import Organisation
from plans.queries import year_plan


class Command(BaseCommand):
    help = "Write one responsibility letter (目标责任书, .docx) per department for an organisation's plan of a year."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", required=True, help="directory (created if missing)")

    def handle(self, *args, org, year, output, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为 {org} 的组织", returncode=2)
        plan = year_plan(organisation, year)
        if plan is None:
            raise CommandError(f"{organisation.name}没有已发布的 {year} 年工作要点", returncode=2)
        try:
            services.generate_letters(plan, by=None)
        except ValidationError as error:
            raise CommandError("；".join(error.messages), returncode=2)
        directory = Path(output)
        directory.mkdir(parents=True, exist_ok=True)
        letters = list(
            ResponsibilityLetter.objects.filter(plan=plan).select_related("plan", "plan__organisation", "department")
        )
        for letter in letters:
            (directory / exports.letter_filename(letter)).write_bytes(exports.letter_document(letter))
        audit.log("export", plan, changes={"letters": len(letters), "path": str(directory)}, username="manage.py")
        self.stdout.write(f"已导出 {plan.title} 目标责任书 {len(letters)} 份到 {directory}")
