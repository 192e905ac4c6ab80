import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core import audit

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_audit_events():
    deleted = audit.purge_expired()
    log.info("purged %s audit events", deleted)
