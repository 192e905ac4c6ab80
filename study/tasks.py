import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from study import services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def announce_study_materials() -> int:
    """Every 10 minutes: tell the audience of materials whose push time has come."""
    return services.announce_due()


@db_periodic_task(crontab(minute="0", hour="9"))
def remind_study() -> int:
    """Daily at 9:00: remind those who have not read a material due within 48 hours (or overdue)."""
    count = services.remind_unread()
    if count:
        log.info("study reminders sent: %s", count)
    return count
