from django.core.management.base import BaseCommand

from core import audit


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (at least 180); the purge is audited."

    def handle(self, *args, **options):
        deleted = audit.purge_expired()
        self.stdout.write(f"已清理 {deleted} 条过期审计日志")
