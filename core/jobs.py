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
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE, result=result or {}, message=message, finished_at=timezone.now()
    )


def fail_job(job_id, message: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.FAILED, message=message, finished_at=timezone.now()
    )
