"""Huey tasks of the multi-node test (`test_multinode.py`), loaded by its consumers only. Each run
leaves one row in `multinode_runs`, a table the test makes in its own database, naming the node."""

import os

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


def _record(kind: str, number: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO multinode_runs (kind, number, node, ran_at) VALUES (%s, %s, %s, now())",
            [kind, number, os.environ["TONGXIN_NODE"]],
        )


@db_task()
def count_run(number: int) -> None:
    _record("task", number)


@db_periodic_task(crontab(minute="*"))
def count_tick() -> None:
    _record("tick", 0)
