from django.core.management.base import BaseCommand

from core import jobs


class Command(BaseCommand):
    help = "Deletes kept import uploads older than TONGXIN_UPLOAD_RETENTION_HOURS (also hourly)."

    def handle(self, *args, **options):
        deleted = jobs.purge_uploads()
        self.stdout.write(f"已删除 {deleted} 个过期的上传文件。")
