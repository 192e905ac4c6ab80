from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Deletes login failure counters older than the lockout window (also a daily huey job)."

    def handle(self, *args, **options):
        deleted = services.purge_old_failures()
        self.stdout.write(f"已清理 {deleted} 条过期的登录失败计数。")
