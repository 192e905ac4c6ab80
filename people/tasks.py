"""Huey finds tasks in each app's tasks.py; the registry import's task lives beside the work it
runs (people.imports)."""

from people.exports import registry_export_task  # noqa: F401
from people.imports import import_people_task  # noqa: F401
