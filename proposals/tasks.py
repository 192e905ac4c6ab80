import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from proposals.services import remind_overdue

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="8", minute="10"))
def remind_overdue_proposals() -> int:
    """Daily at 08:10: reminds each lead department of suggestions overdue or due within 3 days.
    Also `manage.py remind_overdue_proposals`."""
    try:
        return remind_overdue()
    except Exception:
        log.exception("proposal reminders failed")
        raise
