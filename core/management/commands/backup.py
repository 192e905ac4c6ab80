from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (consistent snapshot: SQLite online backup or pg_dump) and the media files "
        "into one .tar.gz with a manifest of row counts and SHA-256 hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the archive to write, e.g. tongxin-20261202.tar.gz")

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            manifest = create_backup(output)
        except (BackupError, OSError) as error:
            raise CommandError(f"备份失败：{error}") from error
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"已备份到 {output}：{len(manifest['tables'])} 张表 {rows} 行，{media} 个媒体文件")
