"""Huey finds tasks in each app's tasks.py; the plan parse's task lives beside the import service
that enqueues it (plans.imports)."""

from plans.imports import parse_plan_import  # noqa: F401
