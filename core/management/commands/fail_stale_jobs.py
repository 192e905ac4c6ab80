from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = "Marks failed the background jobs without a heartbeat for TONGXIN_JOB_STALE_MINUTES (also every 5 min)."

    def handle(self, *args, **options):
        failed = jobs.fail_stale_jobs()
        self.stdout.write(f"已将 {failed} 个中断的后台任务标记为失败。")
