"""Huey finds tasks in each app's tasks.py; the plan parse's task lives beside the import service
that enqueues it (plans.imports)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from plans import services
from plans.imports import parse_plan_import  # noqa: F401


@db_periodic_task(crontab(hour="0", minute="20"))
def emit_overdue_items() -> None:
    """Daily after midnight: `item.overdue` webhooks for items whose deadline passed yesterday."""
    services.emit_overdue_items()
