from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from core import jobs
from core.models import BackgroundJob


@login_required
@require_http_methods(["GET", "POST"])
def job_status(request, pk):
    """A job's progress bar; polls itself (htmx) until the job ends. Only its owner sees it.
    POST restarts a failed job (its owner only) and goes to the new job's page."""
    job = get_object_or_404(BackgroundJob, pk=pk, user=request.user)
    if request.method == "POST":
        try:
            new = jobs.restart_job(job, by=request.user, request=request)
        except jobs.JobError as error:
            messages.error(request, error.message)
            return redirect("core:job-status", pk=job.pk)
        return redirect("core:job-status", pk=new.pk)
    target = _next_page(request, job)
    if target:
        # Done and the job says where to go on (a parsed plan's review page): go there.
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    template = "core/job_status.html#status" if request.htmx else "core/job_status.html"
    return render(request, template, {"job": job})


def _next_page(request, job) -> str:
    url = (job.result or {}).get("url", "")
    if job.status != BackgroundJob.Status.DONE or not job.result.get("redirect") or not url.startswith("/"):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else ""
