from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.models import BackgroundJob


@login_required
def job_status(request, pk):
    """A job's progress bar; polls itself (htmx) until the job ends. Only its owner sees it."""
    job = get_object_or_404(BackgroundJob, pk=pk, user=request.user)
    template = "core/job_status.html#status" if request.htmx else "core/job_status.html"
    return render(request, template, {"job": job})
