import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accounts import services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/30"))
def purge_login_failures():
    deleted = services.purge_old_failures()
    log.info("purged %s login failure counters", deleted)
