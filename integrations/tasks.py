"""Webhook jobs: the first attempt right after commit, retries every minute once due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_webhooks(pks: list[int]) -> None:
    from integrations.services import deliver

    for pk in pks:
        deliver(pk)


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks() -> None:
    from integrations.services import deliver_due

    deliver_due()
