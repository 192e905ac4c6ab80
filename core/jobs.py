"""Progress of background jobs. A service creates the job, enqueues a huey task on commit
with the job id; the task reports progress here (each report is also a heartbeat); the page
polls `core:job-status`.

A worker killed mid-job (kill -9, a crash, a reboot) leaves its job pending or running for ever;
`fail_stale_jobs` (a periodic huey task and the command `fail_stale_jobs`) marks every job whose
heartbeat is older than TONGXIN_JOB_STALE_MINUTES failed. The user who started a failed job can
restart it from its page when its app registered how (`restartable`).

Uploaded files that hold personal data (registry imports, plan documents) are deleted by their
job once read; `purge_uploads` (periodic and a command) deletes any left behind — previews never
confirmed, jobs that died — after TONGXIN_UPLOAD_RETENTION_HOURS."""

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import audit
from core.models import BackgroundJob

log = logging.getLogger(__name__)

STALE_MESSAGE = gettext_noop(
    "任务中断（超过 {minutes} 分钟没有响应，可能是后台进程被终止），未完成的部分没有保存。可以重新开始。"
)
# Directories under MEDIA_ROOT where apps keep uploads between upload and import, and background
# exports until downloaded (people.exports).
UPLOAD_DIRS = ("imports", "plan-imports", "exports")

# task name -> function(job, by) that starts the work again and returns the new job.
RESTARTERS: dict[str, Callable] = {}


class JobError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def restartable(task: str):
    """Registers how to restart jobs created with `task=task` (the app's own function)."""

    def register(func):
        RESTARTERS[task] = func
        return func

    return register


def create_job(kind: str, *, user, organisation=None, total: int = 0, task: str = "", params=None) -> BackgroundJob:
    return BackgroundJob.objects.create(
        kind=kind,
        user=user,
        organisation=organisation,
        total=total,
        task=task,
        params=params or {},
        heartbeat_at=timezone.now(),
    )


def heartbeat(job_id) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())


def report_progress(job_id, progress: int, total: int | None = None, message: str = "") -> None:
    fields = {"progress": progress, "status": BackgroundJob.Status.RUNNING, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    BackgroundJob.objects.filter(pk=job_id).update(**fields)


def finish_job(job_id, *, result: dict | None = None, message: str = "") -> None:
    """Marks the job done (its progress complete). `result["url"]` is where the job page links
    to; with `result["redirect"]` the page goes there by itself once the job is done."""
    from django.db.models import F
    from django.db.models.functions import Greatest

    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE,
        progress=Greatest(F("progress"), F("total")),
        result=result or {},
        message=message,
        finished_at=timezone.now(),
    )


def fail_job(job_id, message: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.FAILED, message=message, finished_at=timezone.now()
    )


def fail_stale_jobs(*, now=None) -> int:
    """Marks failed the pending and running jobs without a heartbeat for JOB_STALE_MINUTES.
    Returns how many. Each is audited for its organisation."""
    now = now or timezone.now()
    minutes = settings.JOB_STALE_MINUTES
    cutoff = now - timedelta(minutes=minutes)
    stale = BackgroundJob.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, created_at__lt=cutoff),
        status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
    )
    count = 0
    for job in stale.select_related("user"):
        # Conditional, so a job that finished meanwhile is left alone.
        updated = BackgroundJob.objects.filter(pk=job.pk, status=job.status).update(
            status=BackgroundJob.Status.FAILED, message=_(STALE_MESSAGE).format(minutes=minutes), finished_at=now
        )
        if updated:
            count += 1
            changes = {"status": [job.get_status_display(), "失败"], "reason": "任务中断"}
            audit.log("update", job, changes=changes, username="system")
    return count


@transaction.atomic
def restart_job(job: BackgroundJob, *, by, request=None) -> BackgroundJob:
    """Starts a failed job's work again as a new job; only the user who started it may. Audits."""
    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if job.user_id != by.pk:
        raise JobError(_("只有发起任务的用户可以重新开始。"))
    if not job.can_restart:
        raise JobError(_("这个任务不能重新开始。"))
    new = RESTARTERS[job.task](job, by)
    job.result = {**job.result, "restarted_as": str(new.pk)}
    job.save(update_fields=["result"])
    audit.log("update", job, by=by, request=request, changes={"restarted_as": str(new.pk)})
    return new


def purge_uploads(*, now: float | None = None) -> int:
    """Deletes kept uploads older than UPLOAD_RETENTION_HOURS. Returns how many."""
    cutoff = (now or time.time()) - settings.UPLOAD_RETENTION_HOURS * 3600
    deleted = 0
    for name in UPLOAD_DIRS:
        directory = Path(settings.MEDIA_ROOT) / name
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    deleted += 1
            except FileNotFoundError:
                continue
    return deleted
