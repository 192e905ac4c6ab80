from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from people import imports


class Command(BaseCommand):
    help = (
        "Import people from an .xlsx in the import template's layout. Every row is checked first; "
        "nothing is saved unless all rows are valid (exit 2, row-numbered errors on stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file")
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, path, org, dry_run, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"没有代码为“{org}”的组织")
        try:
            with open(path, "rb") as file:
                checked = imports.check_import(organisation, file)
        except OSError as error:
            raise CommandError(f"无法读取文件：{error}")
        except (imports.ImportFileError, imports.LimitExceeded) as error:
            raise CommandError(error.message)
        except Exception:
            raise CommandError("无法读取此 Excel 文件，请另存为 .xlsx 后重试")
        if checked.problems:
            for problem in checked.problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"发现 {len(checked.problems)} 处问题，未导入任何数据。")
            raise CommandError(f"{len(checked.problems)} 处问题", returncode=2)
        if dry_run:
            counts = f"新增 {checked.new_count} 人，更新 {checked.updated_count} 人"
            self.stdout.write(f"检查通过（未保存）：共 {len(checked.rows)} 行，{counts}。")
            return
        result = imports.import_people(organisation, by=None, checked=checked, source=str(path))
        self.stdout.write(f"导入完成：新增 {result['created']} 人，更新 {result['updated']} 人。")
