from django.core.management.base import BaseCommand

from notifications.services import send_due


class Command(BaseCommand):
    help = "Sends every e-mail and robot message that is due (first tries, retries after backoff, quiet-hours holds)."

    def handle(self, *args, **options):
        counts = send_due()
        sent, retrying, failed = (counts.get(k, 0) for k in ("sent", "retrying", "failed"))
        self.stdout.write(f"已发送 {sent} 条，待重试 {retrying} 条，失败 {failed} 条。")
