"""The registry export at scale: the values of a few hand-written people, formulas neutralised, a
bounded number of queries whatever the number of people, and a large selection exported in the
background (a job with progress, the file downloaded through an access-checked, audited view)."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from core.models import AuditEvent, BackgroundJob
from orgs.models import Role
from people import exports
from people.models import Category, Party, PartyMembership, PublicPost, StudyAbroad
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "工号",
    "所在部门",
    "职务",
    "职称",
    "学历",
    "统战对象类别",
    "民主党派",
    "入党派时间",
    "党派职务",
    "人大政协职务",
    "留学国家(地区)",
    "留学院校",
    "学位",
    "留学起止时间",
    "回国时间",
    "手机",
    "邮箱",
]


def rows_of(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def full_person(org, department, name, n):
    person = PersonFactory(
        organisation=org,
        name=name,
        gender="F",
        birth_month=date(1975, 3, 1),
        staff_number=f"T{n:03d}",
        department=department,
        job_title="教研室主任",
        professional_title="教授",
        education="博士研究生",
        phone=f"1391234{n:04d}",
        email=f"li{n}@example.edu.cn",
    )
    person.category_links.create(category=Category.DEMOCRATIC_PARTY)
    person.category_links.create(category=Category.RETURNED_SCHOLAR)
    PartyMembership.objects.create(person=person, party=Party.JIUSAN, join_month=date(2005, 6, 1), post="支部委员")
    PublicPost.objects.create(person=person, kind=PublicPost.Kind.CPPCC, title="市政协委员", term="第十四届")
    StudyAbroad.objects.create(
        person=person,
        country_region="英国",
        institution="剑桥大学",
        degree="博士",
        start_month=date(2008, 9, 1),
        end_month=date(2012, 7, 1),
        return_month=date(2012, 8, 1),
    )
    return person


def test_the_workbook_has_the_headers_and_the_values_masked(client, ufd_staff, org, ufd_department):
    full_person(org, ufd_department, "李雪梅", 1)
    PersonFactory(organisation=org, name="=1+1", job_title="@SUM(A1)", professional_title="-2", education="+86")
    client.force_login(ufd_staff)
    values = rows_of(client.get(reverse("people:export")).content)
    assert values[0][0] == "统战对象名册"
    assert values[2] == HEADER
    by_name = {row[1]: row for row in values[3:]}
    assert by_name["李雪梅"][1:] == [
        "李雪梅",
        "女",
        "1975.03",
        "T001",
        "党委统战部",
        "教研室主任",
        "教授",
        "博士研究生",
        "民主党派成员、留学回国人员",
        "九三学社",
        "2005.06",
        "支部委员",
        "市政协委员（第十四届）",
        "英国",
        "剑桥大学",
        "博士",
        "2008.09-2012.07",
        "2012.08",
        "139****0001",
        "l***@example.edu.cn",
    ]
    assert by_name["'=1+1"][6:9] == ["'@SUM(A1)", "'-2", "'+86"]
    assert sorted(row[0] for row in values[3:]) == [1, 2]


def test_unmasked_export_shows_the_contact_data(client, ufd_staff, org, ufd_department):
    full_person(org, ufd_department, "李雪梅", 1)
    client.force_login(ufd_staff)
    response = client.post(reverse("people:export"), {"unmasked": "on", "purpose": "报送市委统战部"})
    assert rows_of(response.content)[3][-2:] == ["13912340001", "li1@example.edu.cn"]


def export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:export"))
    assert response.status_code == 200
    return len(queries)


def test_the_export_runs_the_same_queries_for_one_person_or_many(client, ufd_staff, org, ufd_department):
    client.force_login(ufd_staff)
    full_person(org, ufd_department, "甲", 0)
    export_queries(client)  # the first audit event of the college creates its hash chain's head
    one = export_queries(client)
    for n in range(1, 25):
        full_person(org, ufd_department, f"乙{n}", n)
    assert export_queries(client) == one


def test_a_large_selection_is_exported_in_the_background(
    client,
    ufd_staff,
    org,
    ufd_department,
    other_personas,
    monkeypatch,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "BACKGROUND_ROWS", 2)
    for n in range(3):
        full_person(org, ufd_department, f"王{n}", n)
    PersonFactory(organisation=org, name="=cmd|' /C calc'!A0")
    client.force_login(ufd_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("people:export"))
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:job-status", args=[job.pk])
    assert AuditEvent.objects.filter(action="export").count() == 0  # audited when downloaded
    assert (job.status, job.progress, job.total) == (BackgroundJob.Status.DONE, 4, 4)
    download = reverse("people:export-download", args=[job.pk])
    assert download in client.get(reverse("core:job-status", args=[job.pk])).content.decode()

    response = client.get(download)
    assert response.status_code == 200
    values = rows_of(b"".join(response.streaming_content))
    assert values[2] == HEADER
    assert len(values) == 3 + 4
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in values]
    assert "13912340001" not in str(values) and "139****0001" in str(values)
    event = AuditEvent.objects.get(action="export")
    assert (event.user, event.changes["rows"], event.changes["export"]) == (ufd_staff, 4, "统战对象名册")

    # Nobody else downloads it: another UFD staff user of the college, or of another college.
    client.force_login(make_user(org, Role.UFD_STAFF, "ufd-2"))
    assert client.get(download).status_code == 404
    client.force_login(other_personas[Role.UFD_STAFF])
    assert client.get(download).status_code == 404
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_a_background_export_keeps_the_filter_and_the_purpose(
    client, ufd_staff, org, ufd_department, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "BACKGROUND_ROWS", 1)
    for n in range(2):
        full_person(org, ufd_department, f"九三{n}", n)
    PersonFactory(organisation=org, name="非党派")
    client.force_login(ufd_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people:export") + f"?party={Party.JIUSAN}", {"unmasked": "on", "purpose": "报送市委统战部"}
        )
    job = BackgroundJob.objects.get()
    values = rows_of(b"".join(client.get(reverse("people:export-download", args=[job.pk])).streaming_content))
    assert sorted(row[1] for row in values[3:]) == ["九三0", "九三1"]
    assert "13912340001" in str(values)
    event = AuditEvent.objects.get(action="export")
    assert (event.changes["purpose"], event.changes["filter"], event.changes["rows"]) == (
        "报送市委统战部",
        "民主党派：九三学社",
        2,
    )


def test_a_failed_export_restarts_and_kept_files_are_purged(
    ufd_staff, org, ufd_department, settings, tmp_path, django_capture_on_commit_callbacks
):
    import time

    from core import jobs

    settings.MEDIA_ROOT = tmp_path
    full_person(org, ufd_department, "赵一", 1)
    with django_capture_on_commit_callbacks(execute=False):
        job = exports.start_registry_export(
            org, by=ufd_staff, criteria={}, unmasked=False, purpose="", rows=1
        )  # its worker dies before it runs
    jobs.fail_job(job.pk, "任务中断")
    job.refresh_from_db()
    assert job.can_restart
    with django_capture_on_commit_callbacks(execute=True):
        new = jobs.restart_job(job, by=ufd_staff)
    new.refresh_from_db()
    assert new.status == BackgroundJob.Status.DONE
    path = exports.export_path(new)
    assert "赵一" in str(rows_of(path.read_bytes()))
    assert jobs.purge_uploads(now=time.time() + (settings.UPLOAD_RETENTION_HOURS + 1) * 3600) == 1
    assert not path.exists()
