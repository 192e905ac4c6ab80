"""Sending outside the app. A first attempt runs right after commit (`send_deliveries`); the
periodic sender picks up retries when their backoff has passed, and anything deferred by quiet
hours. Each task takes ids and calls one service."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, task

log = logging.getLogger(__name__)


@db_task()
def send_deliveries(pks: list[int]) -> None:
    from notifications.services import send_delivery

    for pk in pks:
        send_delivery(pk)


@db_periodic_task(crontab(minute="*"))
def send_due_deliveries() -> None:
    """Every minute: retries whose backoff has passed and notices held back by quiet hours."""
    from notifications.services import send_due

    send_due()


@db_periodic_task(crontab(hour="7", minute="30"))
def send_daily_digest() -> None:
    from notifications.services import send_digests

    send_digests()


@task(retries=3, retry_delay=60)
def send_email(recipients: list[str], subject: str, body: str, url: str = "") -> None:
    """Kept for jobs queued before the delivery log existed; new mail goes through `Delivery`."""
    text = body + (f"\n\n{settings.TONGXIN_BASE_URL}{url}" if url else "")
    for address in recipients:
        try:
            send_mail(f"【同心】{subject}", text, None, [address])
        except OSError:
            log.exception("mail to %s failed", address)
            raise
