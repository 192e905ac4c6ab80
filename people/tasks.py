"""Huey finds tasks in each app's tasks.py; the registry import's task lives beside the service
that enqueues it (people.services)."""

from people.services import import_people_task  # noqa: F401
