"""Issue 11, hole 5: after kill -9 of the worker mid-save the job showed "进行中 10000/10000" for
ever, was never retried, and the uploaded file of phones stayed on disk (as did previews never
confirmed). Now jobs heartbeat; silent ones are marked failed; their owner restarts them; kept
uploads go after import or after 24 hours."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from core import jobs
from core.models import AuditEvent, BackgroundJob
from orgs.models import Role
from people import imports as people_imports
from people.models import Person
from people.tests.xlsx import row, workbook_bytes

pytestmark = pytest.mark.django_db
RESTART_BUTTON = '<button type="submit" class="primary">重新开始</button>'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _killed_import(org, user, rows=2):
    """An import whose worker died mid-save: running, total reached, heartbeat 11 minutes old."""
    token = people_imports.keep_upload(
        SimpleUploadedFile("名单.xlsx", workbook_bytes([row(姓名=f"成员{n}", 工号=f"K{n}") for n in range(rows)]))
    )
    job = people_imports.start_import(org, by=user, token=token, source="名单.xlsx")
    BackgroundJob.objects.filter(pk=job.pk).update(
        status="running", progress=rows, total=rows, heartbeat_at=timezone.now() - timedelta(minutes=11)
    )
    return job, token


def test_a_silent_job_is_marked_failed_and_a_live_one_is_not(ufd_staff, org):
    dead, _ = _killed_import(org, ufd_staff)
    live = jobs.create_job("导入统战对象", user=ufd_staff, organisation=org)
    jobs.report_progress(live.pk, 10, 100)
    done = jobs.create_job("导出", user=ufd_staff, organisation=org)
    jobs.finish_job(done.pk)
    BackgroundJob.objects.filter(pk=done.pk).update(heartbeat_at=timezone.now() - timedelta(hours=2))

    call_command("fail_stale_jobs")

    statuses = {j.pk: (j.status, j.message) for j in BackgroundJob.objects.all()}
    assert statuses[dead.pk][0] == "failed"
    assert statuses[dead.pk][1].startswith("任务中断（超过 10 分钟没有响应")
    assert statuses[live.pk][0] == "running"
    assert statuses[done.pk][0] == "done"
    assert AuditEvent.objects.filter(object_type="core.backgroundjob", object_id=str(dead.pk)).count() == 1


def test_the_owner_restarts_a_killed_import_and_it_completes(
    client, ufd_staff, org, django_capture_on_commit_callbacks
):
    job, token = _killed_import(org, ufd_staff, rows=3)
    jobs.fail_stale_jobs()
    client.force_login(ufd_staff)
    page = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert RESTART_BUTTON in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job-status", args=[job.pk]))
    new = BackgroundJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("core:job-status", args=[new.pk])
    assert (new.status, new.message) == ("done", "导入完成：新增 3 人，更新 0 人。")
    assert Person.objects.filter(organisation=org).count() == 3
    assert people_imports.upload_path(token) is None  # the file of phones is gone after the import
    # Restarted once only; the old page points to the new job.
    old_page = client.get(reverse("core:job-status", args=[job.pk])).content.decode()
    assert RESTART_BUTTON not in old_page
    assert "查看重新开始的任务" in old_page


def test_only_the_owner_may_restart(client, ufd_staff, org, ufd_department):
    job, _ = _killed_import(org, ufd_staff)
    jobs.fail_stale_jobs()
    colleague = make_user(org, Role.UFD_STAFF, "colleague", [ufd_department])
    client.force_login(colleague)
    assert client.post(reverse("core:job-status", args=[job.pk])).status_code == 404
    assert BackgroundJob.objects.count() == 1


def test_a_restart_without_the_file_says_so(client, ufd_staff, org):
    job, token = _killed_import(org, ufd_staff)
    jobs.fail_stale_jobs()
    people_imports.upload_path(token).unlink()
    client.force_login(ufd_staff)
    page = client.post(reverse("core:job-status", args=[job.pk]), follow=True).content.decode()
    assert "上传的文件已删除" in page
    assert BackgroundJob.objects.count() == 1


def test_kept_uploads_are_deleted_after_24_hours(settings, tmp_path):
    fresh = people_imports.keep_upload(SimpleUploadedFile("a.xlsx", b"PK fresh"))
    stale = people_imports.keep_upload(SimpleUploadedFile("b.xlsx", b"PK never confirmed"))
    plan_upload = tmp_path / "plan-imports" / "7.upload"
    plan_upload.parent.mkdir()
    plan_upload.write_bytes(b"%PDF-")
    day_ago = time.time() - 25 * 3600
    os.utime(people_imports.upload_path(stale), (day_ago, day_ago))
    os.utime(plan_upload, (day_ago, day_ago))

    call_command("purge_uploads")

    assert people_imports.upload_path(fresh) is not None
    assert people_imports.upload_path(stale) is None
    assert not plan_upload.exists()


def test_the_owner_restarts_a_killed_plan_parse(client, ufd_staff, org, django_capture_on_commit_callbacks):
    from plans import imports
    from plans.models import PlanImport

    record = imports.start_import(
        org, by=ufd_staff, data="一、加强思想政治引领\n（一）组织专题学习。".encode(), filename="要点.txt", year=2026
    )
    BackgroundJob.objects.filter(pk=record.job_id).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    jobs.fail_stale_jobs()
    client.force_login(ufd_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:job-status", args=[record.job_id]))
    record = PlanImport.objects.get(pk=record.pk)
    assert record.job.status == "done"
    assert record.parsed["sections"][0]["title"] == "加强思想政治引领"
    assert not imports.upload_path(record).exists()
