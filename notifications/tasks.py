import logging

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import task

log = logging.getLogger(__name__)


@task(retries=3, retry_delay=60)
def send_email(recipients: list[str], subject: str, body: str, url: str = "") -> None:
    text = body + (f"\n\n{settings.TONGXIN_BASE_URL}{url}" if url else "")
    for address in recipients:
        try:
            send_mail(f"【同心】{subject}", text, None, [address])
        except OSError:
            log.exception("mail to %s failed", address)
            raise
