import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core import audit, jobs

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_audit_events():
    deleted = audit.purge_expired()
    log.info("purged %s audit events", deleted)


@db_periodic_task(crontab(minute="*/5"))
def fail_stale_jobs():
    failed = jobs.fail_stale_jobs()
    if failed:
        log.warning("marked %s stale background jobs failed", failed)


@db_periodic_task(crontab(minute="23"))
def purge_uploads():
    deleted = jobs.purge_uploads()
    log.info("deleted %s kept uploads older than the retention", deleted)
