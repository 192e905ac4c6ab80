from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from plans.imports import UnresolvedDepartments, import_without_review
from plans.parsing import ParseError


class Command(BaseCommand):
    help = "Import a plan document (工作要点) into an organisation without the review page."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--year", type=int)
        parser.add_argument("--publish", action="store_true", help="publish and notify the liaisons")
        parser.add_argument("--create-departments", action="store_true", help="create departments the plan names")

    def handle(self, *args, path, org, year, publish, create_departments, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为 {org} 的组织", returncode=2)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件：{error.strerror}", returncode=2) from None
        try:
            plan = import_without_review(
                organisation,
                data=data,
                filename=Path(path).name,
                year=year,
                create_departments=create_departments,
                publish=publish,
            )
        except ParseError as error:
            raise CommandError(error.message, returncode=2) from None
        except UnresolvedDepartments as error:
            raise CommandError(
                f"以下部门名称无法对应到本单位的部门：{'、'.join(error.names)}（可加 --create-departments 自动新建）",
                returncode=2,
            ) from None
        state = "已发布" if plan.is_published else "草稿"
        self.stdout.write(
            f"plan {plan.pk}: {plan.title}（{plan.year}年，{state}）"
            f" sections={plan.sections.count()} items={plan.items.count()}"
            f" targets={sum(i.targets.count() for i in plan.items.all())}"
        )
