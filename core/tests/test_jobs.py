import pytest
from django.urls import reverse

from core import jobs
from core.models import BackgroundJob


@pytest.mark.django_db
def test_job_page_polls_while_running_and_stops_when_done(client, ufd_staff, org):
    job = jobs.create_job("导入名册", user=ufd_staff, organisation=org, total=200)
    jobs.report_progress(job.pk, 50)
    client.force_login(ufd_staff)
    page = client.get(reverse("core:job-status", args=[job.pk]), headers={"HX-Request": "true"})
    body = page.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="25"' in body
    assert "<html" not in body  # the htmx answer is just the partial

    jobs.finish_job(job.pk, result={"url": "/people/", "label": "查看名册"}, message="已导入 200 人")
    body = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in body
    assert "查看名册" in body
    assert BackgroundJob.objects.get().percent == 100


@pytest.mark.django_db
def test_failed_job_shows_its_message(client, ufd_staff, org):
    job = jobs.create_job("解析", user=ufd_staff, organisation=org)
    jobs.fail_job(job.pk, "文件已损坏")
    client.force_login(ufd_staff)
    body = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert "文件已损坏" in body
    assert "失败" in body
