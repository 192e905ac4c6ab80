import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from events import services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="5"))
def send_event_reminders() -> int:
    """Hourly: remind registered people of events starting within the next 25 hours."""
    count = services.send_reminders()
    if count:
        log.info("event reminders sent: %s", count)
    return count
