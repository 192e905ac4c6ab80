import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fiveones import services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="20", hour="2"))
def sync_five_ones() -> int:
    """Daily: completions (and the plan targets they count towards) follow the records."""
    return services.sync_all()


@db_periodic_task(crontab(minute="0", hour="9", day="1", month="10,11,12"))
def remind_five_ones() -> int:
    """Q4 (1 October, 1 November, 1 December, 9:00): remind members below five of what is missing."""
    count = services.remind_incomplete(year=timezone.localdate().year)
    log.info("five ones reminders sent: %s", count)
    return count
