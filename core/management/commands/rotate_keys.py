from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and recompute every lookup digest with the first key of "
        "TONGXIN_FIELD_KEY (list the new key first, the old ones after it, run this, then drop the old "
        "keys). --generate prints a new key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true", help="print a new key and change nothing")

    def handle(self, *args, **options):
        if options["generate"]:
            self.stdout.write(crypto.generate_key())
            return
        rows = 0
        try:
            with transaction.atomic():
                for model, encrypted, digests in crypto.encrypted_fields():
                    sources = sorted({d.source for d in digests})
                    names = sorted({*encrypted, *sources})
                    for values in model._base_manager.values("pk", *names).iterator(chunk_size=1000):
                        # Reading decrypts with any listed key; update() encrypts with the first.
                        update = {name: values[name] for name in encrypted}
                        update |= {d.attname: crypto.field_digest(values[d.source] or "") for d in digests}
                        model._base_manager.filter(pk=values["pk"]).update(**update)
                        rows += 1
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已用新密钥重新加密 {rows} 行")
