"""A finished job that names its next page goes there by itself (issue 10, defect 11)."""

import pytest
from django.urls import reverse

from core import jobs
from core.models import BackgroundJob


@pytest.fixture
def parsing_job(ufd_staff, org):
    return jobs.create_job("解析工作要点", user=ufd_staff, organisation=org, total=1)


@pytest.mark.django_db
def test_done_job_counts_as_complete(parsing_job):
    jobs.finish_job(parsing_job.pk, result={"url": "/plans/import/1/"})
    job = BackgroundJob.objects.get()
    assert (job.progress, job.total) == (1, 1)


@pytest.mark.django_db
def test_polling_a_done_job_redirects_htmx_to_the_next_page(client, ufd_staff, parsing_job):
    client.force_login(ufd_staff)
    url = reverse("core:job-status", args=[parsing_job.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Redirect" not in running.headers
    assert 'hx-trigger="every 1s"' in running.content.decode()

    jobs.finish_job(parsing_job.pk, result={"url": "/plans/import/7/", "label": "审核", "redirect": True})
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Redirect"] == "/plans/import/7/"
    assert "（0 / 1）" not in done.content.decode()


@pytest.mark.django_db
def test_opening_a_done_job_page_goes_on(client, ufd_staff, parsing_job):
    jobs.finish_job(parsing_job.pk, result={"url": "/plans/import/7/", "redirect": True})
    client.force_login(ufd_staff)
    response = client.get(reverse("core:job-status", args=[parsing_job.pk]))
    assert (response.status_code, response.url) == (302, "/plans/import/7/")


@pytest.mark.django_db
def test_jobs_without_redirect_show_their_result(client, ufd_staff, parsing_job):
    jobs.finish_job(parsing_job.pk, result={"url": "/people/", "label": "查看名册"}, message="已导入")
    client.force_login(ufd_staff)
    body = client.get(reverse("core:job-status", args=[parsing_job.pk])).content.decode()
    assert "查看名册" in body
    assert "（1 / 1）" in body


@pytest.mark.django_db
def test_only_local_addresses_are_followed(client, ufd_staff, parsing_job):
    jobs.finish_job(parsing_job.pk, result={"url": "//evil.example/x", "redirect": True})
    client.force_login(ufd_staff)
    assert client.get(reverse("core:job-status", args=[parsing_job.pk])).status_code == 200
