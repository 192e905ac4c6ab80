from django.core.management.base import BaseCommand

from events import services


class Command(BaseCommand):
    help = "提醒已报名人员：25 小时内开始的活动（每人只提醒一次）。huey 每小时自动运行。"

    def handle(self, *args, **options):
        count = services.send_reminders()
        self.stdout.write(f"已发送活动提醒 {count} 条。")
