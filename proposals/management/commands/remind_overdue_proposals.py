from datetime import date

from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from proposals.services import remind_overdue


class Command(BaseCommand):
    help = "Remind lead departments of suggestions overdue or due within 3 days (run daily; huey does it at 08:10)."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="organisation slug (default: all)")
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args, org=None, today=None, **options):
        organisation = None
        if org:
            organisation = Organisation.objects.filter(slug=org).first()
            if organisation is None:
                raise CommandError(f"没有代码为 {org} 的组织", returncode=2)
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{today}", returncode=2) from None
        count = remind_overdue(today=day, organisation=organisation)
        self.stdout.write(f"已提醒 {count} 件即将到期或已逾期的建言")
