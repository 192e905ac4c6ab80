"""Progress of background jobs. A service creates the job, enqueues a huey task on commit
with the job id; the task reports progress here; the page polls `core:job-status`."""

from django.utils import timezone

from core.models import BackgroundJob


def create_job(kind: str, *, user, organisation=None, total: int = 0) -> BackgroundJob:
    return BackgroundJob.objects.create(kind=kind, user=user, organisation=organisation, total=total)


def report_progress(job_id, progress: int, total: int | None = None, message: str = "") -> None:
    fields = {"progress": progress, "status": BackgroundJob.Status.RUNNING}
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
