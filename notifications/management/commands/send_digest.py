from django.core.management.base import BaseCommand

from notifications.services import send_digests


class Command(BaseCommand):
    help = "Sends the daily digest e-mail to users who chose it (their unread notices since the last digest)."

    def handle(self, *args, **options):
        self.stdout.write(f"已生成 {send_digests()} 封每日摘要邮件。")
