"""Huey on several nodes: periodic jobs fire once per cluster, not once per consumer.

Every consumer's scheduler looks at the periodic tasks about once a minute and enqueues those whose
crontab matches the current minute. With one consumer per node each job would run once per node, so
`ClusterHuey` (the huey class when REDIS_URL is set) claims each (task, minute) in Redis with one
`SET NX` before enqueueing it: the first scheduler to claim a minute enqueues the job, the others
skip it. Any node may run the scheduler (no single node whose loss stops the daily jobs); the queue
itself hands each task to exactly one worker (a Redis list pop).

Imported by huey's Django integration while settings load: no Django import here.
"""

from huey import PriorityRedisHuey

# A claim outlives its minute by far: a scheduler that is late by up to this long still sees it.
CLAIM_SECONDS = 3600


class ClusterHuey(PriorityRedisHuey):
    def claim_periodic(self, task, timestamp) -> bool:
        """True for the one scheduler in the cluster that claims `task` for `timestamp`'s minute."""
        key = f"{self.name}.periodic.{task.name}.{timestamp:%Y%m%d%H%M}"
        return bool(self.storage.conn.set(key, "1", nx=True, ex=CLAIM_SECONDS))

    def read_periodic(self, timestamp):
        if timestamp is None:
            timestamp = self._get_timestamp()
        due = super().read_periodic(timestamp)
        if self.immediate:  # tests run jobs in-process against memory storage: no cluster
            return due
        return [task for task in due if self.claim_periodic(task, timestamp)]
