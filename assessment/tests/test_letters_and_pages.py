"""Responsibility letters (.docx text, statuses, signed scan, the command) and the pages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from assessment import services
from assessment.models import DepartmentAssessment, Indicator, ResponsibilityLetter, SelfFile
from assessment.tests.conftest import YEAR
from core.files import minimal_pdf
from core.models import AuditEvent
from notifications.models import Notification

pytestmark = pytest.mark.django_db
PDF = minimal_pdf()


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def scheme(org, ufd_staff):
    scheme = services.create_scheme(org, by=ufd_staff, year=YEAR, copy_last_year=False)
    scheme.letter_preamble = "为压实统战工作责任，特制定本责任书。"
    scheme.excellent_cap = 30
    scheme.save()
    return scheme


def test_letter_docx_has_tasks_rules_and_signatures(
    client, ledger, scheme, ufd_staff, liaison, student_department, django_capture_on_commit_callbacks
):
    plan = ledger["plan"]
    assert services.generate_letters(plan, by=ufd_staff) == 2  # 学生工作处 and 党委统战部
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_letters(list(ResponsibilityLetter.objects.filter(plan=plan)), by=ufd_staff)
    assert Notification.objects.filter(user=liaison, title=f"{YEAR}年统战工作目标责任书已下达").exists()
    letter = ResponsibilityLetter.objects.get(plan=plan, department=student_department)
    client.force_login(liaison)
    response = client.get(reverse("assessment:letter-docx", args=[letter.pk]))
    assert response.status_code == 200
    text = docx_text(b"".join(response.streaming_content))
    assert f"{YEAR}年统战工作目标责任书" in text
    assert "责任部门：学生工作处" in text
    assert "为压实统战工作责任，特制定本责任书。" in text
    assert "序号 | 工作任务 | 具体内容和量化目标 | 责任 | 完成时限" in text
    assert f"1 | 任务A | 召开2次座谈会 | 牵头 | {YEAR}年3月31日" in text
    assert f"4 | 任务E |  | 配合（牵头：党委统战部） | {YEAR}年12月31日" in text
    assert "牵头任务办结（权重30）" in text
    assert "优秀等次不超过参评部门的30%" in text
    assert "部门负责人（签字）：" in text and "负责人（签字）：" in text
    assert AuditEvent.objects.filter(action="export", object_type="assessment.responsibilityletter").exists()


def test_signed_scan_is_checked_by_content(client, ledger, scheme, ufd_staff, student_department):
    plan = ledger["plan"]
    services.generate_letters(plan, by=ufd_staff)
    services.issue_letters(list(ResponsibilityLetter.objects.filter(plan=plan)), by=ufd_staff)
    letter = ResponsibilityLetter.objects.get(plan=plan, department=student_department)
    client.force_login(ufd_staff)
    url = reverse("assessment:letter-sign", args=[letter.pk])
    fake = SimpleUploadedFile("签订.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "文件“签订.pdf”的内容不是允许的类型（PDF、图片），已拒绝。" in response.content.decode()
    letter.refresh_from_db()
    assert (letter.status, letter.signed_name) == ("issued", "")
    client.post(url, {"file": SimpleUploadedFile("签订.pdf", PDF, content_type="application/pdf")})
    letter.refresh_from_db()
    assert (letter.status, letter.signed_name) == ("signed", "签订.pdf")


def test_export_letters_command_writes_one_docx_per_department(ledger, scheme, org, tmp_path, capsys):
    call_command("export_letters", "--org", org.slug, "--year", str(YEAR), "-o", str(tmp_path / "letters"))
    names = sorted(p.name for p in (tmp_path / "letters").iterdir())
    assert names == [f"{YEAR}年统战工作目标责任书（党委统战部）.docx", f"{YEAR}年统战工作目标责任书（学生工作处）.docx"]
    assert "责任部门：党委统战部" in docx_text((tmp_path / "letters" / names[0]).read_bytes())
    assert "目标责任书 2 份" in capsys.readouterr().out


def test_export_letters_command_bad_org(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有代码为 nope 的组织"):
        call_command("export_letters", "--org", "nope", "--year", "2030", "-o", str(tmp_path))


def test_self_assessment_page_pulls_evidence_and_refuses_a_lying_file(
    client, ledger, scheme, ufd_staff, liaison, student_department
):
    services.open_assessments(scheme, by=ufd_staff)
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department=student_department)
    client.force_login(liaison)
    page = client.get(reverse("assessment:self", args=[assessment.pk])).content.decode()
    assert "任务A进展" in page  # its progress report, pulled in automatically
    assert "活动0" in page and "出席10人" in page  # the events it organised
    assert "P1" in page and "P3" in page  # the suggestions assigned to it
    liar = SimpleUploadedFile("总结.docx", b"%PDF-1.4 really a pdf", content_type="application/msword")
    response = client.post(reverse("assessment:file-add", args=[assessment.pk]), {"file": liar}, follow=True)
    assert "文件“总结.docx”的扩展名与内容（PDF）不符，已拒绝。" in response.content.decode()
    assert not SelfFile.objects.exists()


def test_self_assessment_post_saves_statements(client, ledger, scheme, ufd_staff, liaison, student_department):
    services.open_assessments(scheme, by=ufd_staff)
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department=student_department)
    first = scheme.indicators.first()
    data = {"summary": "全年工作扎实", "version": assessment.version}
    data |= {f"text_{i.pk}": f"说明{i.pk}" for i in scheme.indicators.all()}
    data[f"points_{first.pk}"] = "abc"
    client.force_login(liaison)
    url = reverse("assessment:self", args=[assessment.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"“{first.name}”的得分“abc”不是数字。" in response.content.decode()
    assert not assessment.statements.exists()
    data[f"points_{first.pk}"] = "25"
    assert client.post(url, data).status_code == 302
    assert assessment.statements.count() == scheme.indicators.count()


def test_leader_sees_scores_read_only(client, ledger, scheme, ufd_staff, leader, student_department):
    services.open_assessments(scheme, by=ufd_staff)
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department=student_department)
    client.force_login(leader)
    response = client.get(reverse("assessment:department", args=[assessment.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "保存评分" not in page and 'name="points_' not in page
    assert client.post(reverse("assessment:department", args=[assessment.pk]), {}).status_code == 403


def test_staff_scoring_page_prefills_computed_values(client, ledger, scheme, ufd_staff, student_department):
    services.open_assessments(scheme, by=ufd_staff)
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department=student_department)
    client.force_login(ufd_staff)
    page = client.get(reverse("assessment:department", args=[assessment.pk])).content.decode()
    on_time = scheme.indicators.get(metric="items_on_time")  # weight 30, max 100: 1 of 3 → 33.33
    assert f'name="points_{on_time.pk}" value="33.33"' in page
    assert "系统计算：1/3 = 33.3%，得 33.33 分" in page


@pytest.mark.parametrize("rows", [1, 12])
def test_scheme_page_queries_are_bounded(client, org, ufd_staff, scheme, rows, django_assert_max_num_queries):
    from orgs.tests.factories import DepartmentFactory

    for i in range(rows):
        a = DepartmentAssessment.objects.create(scheme=scheme, department=DepartmentFactory(organisation=org))
        a.total, a.rank, a.grade = Decimal(80 + i % 10), i + 1, "good"
        a.save()
    Indicator.objects.create(scheme=scheme, name="附加", metric="manual", weight=Decimal("1"))
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("assessment:scheme-detail", args=[scheme.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("grade-good") == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_liaison_list_queries_are_bounded(
    client, org, ufd_staff, liaison, student_department, rows, django_assert_max_num_queries
):
    for i in range(rows):
        s = services.create_scheme(org, by=ufd_staff, year=2000 + i, copy_last_year=False)
        DepartmentAssessment.objects.create(scheme=s, department=student_department)
    client.force_login(liaison)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessment:mine"))
    assert response.status_code == 200
    assert response.content.decode().count("自评中") == rows


def test_stale_self_assessment_is_refused_and_the_input_kept(
    client, ledger, scheme, ufd_staff, liaison, student_department
):
    services.open_assessments(scheme, by=ufd_staff)
    assessment = DepartmentAssessment.objects.get(scheme=scheme, department=student_department)
    opened_at = assessment.version
    first = scheme.indicators.first()
    services.save_self_assessment(assessment, by=liaison, summary="同事先保存", statements={first.pk: ("先", None)})
    client.force_login(liaison)
    data = {"summary": "我的总结", "version": opened_at} | {f"text_{first.pk}": "我的说明"}
    response = client.post(reverse("assessment:self", args=[assessment.pk]), data)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode() and "我的说明" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.summary == "同事先保存"
