from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into a fresh instance (an empty database and media directory): "
        "checks every file's SHA-256 first, then the row counts (and on PostgreSQL the table hashes) after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `backup`")
        parser.add_argument("--force", action="store_true", help="overwrite a database or media directory in use")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"找不到备份文件：{archive}")
        try:
            manifest = restore_backup(archive, force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(f"恢复失败：{error}") from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份：{len(manifest['tables'])} 张表 {rows} 行，行数与哈希均与清单一致"
        )
