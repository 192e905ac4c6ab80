"""Grades, the 优秀 cap, publishing, appeals and their deadline, score history, bad input."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import Appeal, DepartmentAssessment, Indicator, ScoreChange
from core.models import AuditEvent
from notifications.models import Notification
from orgs.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
YEAR = 2030


@pytest.fixture
def scheme(org, ufd_staff):
    scheme = services.create_scheme(org, by=ufd_staff, year=YEAR, copy_last_year=False)
    scheme.indicators.all().delete()
    Indicator.objects.create(
        scheme=scheme, name="工作实绩", metric="manual", weight=Decimal("100"), max_points=Decimal("100")
    )
    return scheme


def scored(scheme, staff, totals: dict[str, str], departments=None):
    """One assessment per department name with a single manual score = its total."""
    indicator = scheme.indicators.get()
    result = {}
    for order, (name, points) in enumerate(totals.items()):
        department = (departments or {}).get(name) or DepartmentFactory(
            organisation=scheme.organisation, name=name, sort_order=order
        )
        assessment, _ = DepartmentAssessment.objects.get_or_create(scheme=scheme, department=department)
        services.save_scores(assessment, by=staff, scores={indicator.pk: (points, "")})
        result[name] = assessment
    return {name: DepartmentAssessment.objects.get(pk=a.pk) for name, a in result.items()}


def grades(assessments):
    return {name: (a.rank, a.get_grade_display()) for name, a in assessments.items()}


def test_grades_by_thresholds_without_cap(scheme, ufd_staff):
    result = scored(scheme, ufd_staff, {"甲": "95", "乙": "90", "丙": "85", "丁": "60", "戊": "59.99"})
    assert grades(result) == {
        "甲": (1, "优秀"),
        "乙": (2, "优秀"),
        "丙": (3, "良好"),
        "丁": (4, "合格"),
        "戊": (5, "不合格"),
    }


def test_excellent_cap_demotes_the_lowest_ranked_excellent_to_good(scheme, ufd_staff):
    scheme.excellent_cap = 30  # 5 departments × 30 % = 1.5 → at most one 优秀
    scheme.save()
    result = scored(scheme, ufd_staff, {"甲": "95", "乙": "92", "丙": "91", "丁": "70", "戊": "50"})
    assert grades(result) == {
        "甲": (1, "优秀"),
        "乙": (2, "良好"),
        "丙": (3, "良好"),
        "丁": (4, "合格"),
        "戊": (5, "不合格"),
    }


def test_equal_totals_share_a_rank(scheme, ufd_staff):
    result = scored(scheme, ufd_staff, {"甲": "88", "乙": "88", "丙": "70"})
    assert [result[n].rank for n in ("甲", "乙", "丙")] == [1, 1, 3]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("100.01", "须在 0 到 100.00 之间"),
        ("-1", "须在 0 到 100.00 之间"),
        ("九十", "不是数字"),
        ("80.555", "两位小数"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(scheme, ufd_staff, student_department, points, message):
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    with pytest.raises(ValidationError) as error:
        services.save_scores(assessment, by=ufd_staff, scores={scheme.indicators.get().pk: (points, "")})
    assert message in error.value.messages[0]
    assert not assessment.scores.exists()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total) == ("open", None)


def test_score_above_maximum_through_the_page_is_refused_in_chinese(client, scheme, ufd_staff, student_department):
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    client.force_login(ufd_staff)
    indicator = scheme.indicators.get()
    url = reverse("assessment:department", args=[assessment.pk])
    response = client.post(url, {f"points_{indicator.pk}": "120", "version": assessment.version})
    assert response.status_code == 400
    assert "“工作实绩”的得分须在 0 到 100.00 之间，“120”超出范围。" in response.content.decode()
    assert not assessment.scores.exists()


def test_every_score_change_is_kept_and_audited(scheme, ufd_staff, student_department):
    result = scored(scheme, ufd_staff, {"学生工作处": "70"}, departments={"学生工作处": student_department})
    assessment = result["学生工作处"]
    indicator = scheme.indicators.get()
    services.save_scores(assessment, by=ufd_staff, scores={indicator.pk: ("82.5", "补充材料后调整")})
    services.save_scores(assessment, by=ufd_staff, scores={indicator.pk: ("82.5", "")})  # unchanged: no new row
    history = list(ScoreChange.objects.filter(score__assessment=assessment).order_by("at", "id"))
    assert [(h.before, h.after) for h in history] == [(None, Decimal("70.00")), (Decimal("70.00"), Decimal("82.50"))]
    assert history[1].comment == "补充材料后调整"
    audits = AuditEvent.objects.filter(object_type="assessment.departmentassessment", object_id=str(assessment.pk))
    assert {"工作实绩": ["70.00", "82.50"]} in [a.changes.get("scores") for a in audits]


def test_publish_needs_every_department_scored(scheme, ufd_staff, student_department):
    DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    with pytest.raises(ValidationError, match="还有部门未评分，不能发布：学生工作处"):
        services.publish_results(scheme, by=ufd_staff)
    scheme.refresh_from_db()
    assert scheme.published_at is None


def test_publish_notifies_liaisons_and_one_appeal_within_the_window(
    scheme, ufd_staff, liaison, student_department, django_capture_on_commit_callbacks
):
    scheme.appeal_days = 7
    scheme.save()
    assessment = scored(scheme, ufd_staff, {"学生工作处": "75"}, departments={"学生工作处": student_department})[
        "学生工作处"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(scheme, by=ufd_staff)
    assert Notification.objects.filter(user=liaison, title=f"{YEAR}年度统战工作考核结果已发布").exists()
    published = timezone.localtime(scheme.published_at).date()

    late = published + timedelta(days=8)
    with pytest.raises(ValidationError) as error:
        services.file_appeal(assessment, by=liaison, reason="评分偏低", today=late)
    deadline = published + timedelta(days=7)
    assert error.value.messages == [
        f"申诉期已过（截至{deadline.year}年{deadline.month}月{deadline.day}日），不能再申诉。"
    ]
    assert not Appeal.objects.exists()

    services.file_appeal(assessment, by=liaison, reason="评分偏低", today=deadline)  # the last day still counts
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.file_appeal(assessment, by=liaison, reason="再次申诉", today=deadline)
    assert Appeal.objects.count() == 1

    appeal = Appeal.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(appeal, by=ufd_staff, decision="upheld", response="经复核，维持原结果。")
    assert Notification.objects.filter(user=liaison, title="申诉已处理：维持原结果").exists()


def test_appeal_after_deadline_through_the_page(client, scheme, ufd_staff, liaison, student_department):
    assessment = scored(scheme, ufd_staff, {"学生工作处": "75"}, departments={"学生工作处": student_department})[
        "学生工作处"
    ]
    services.publish_results(scheme, by=ufd_staff)
    scheme.published_at = timezone.now() - timedelta(days=30)
    scheme.save()
    client.force_login(liaison)
    response = client.post(reverse("assessment:appeal", args=[assessment.pk]), {"reason": "评分偏低"}, follow=True)
    assert "申诉期已过" in response.content.decode()
    assert not Appeal.objects.exists()


def test_adjustment_above_the_cap_or_without_reason_is_refused(scheme, ufd_staff, student_department):
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    with pytest.raises(ValidationError, match="单项加扣分不能超过 5 分。"):
        services.add_adjustment(assessment, by=ufd_staff, kind="bonus", points="6", reason="获奖")
    with pytest.raises(ValidationError, match="请填写加扣分理由"):
        services.add_adjustment(assessment, by=ufd_staff, kind="bonus", points="1", reason=" ")
    with pytest.raises(ValidationError, match="须为正数"):
        services.add_adjustment(assessment, by=ufd_staff, kind="deduction", points="-1", reason="迟报")
    assert not assessment.adjustments.exists()


def test_scheme_copied_from_last_year(org, ufd_staff, scheme):
    scheme.excellent_cap = 20
    scheme.appeal_days = 5
    scheme.letter_preamble = f"为落实{YEAR}年工作要点……"
    scheme.save()
    copy = services.create_scheme(org, by=ufd_staff, year=YEAR + 1)
    assert (copy.excellent_cap, copy.appeal_days) == (20, 5)
    assert copy.letter_preamble == f"为落实{YEAR + 1}年工作要点……"
    assert [(i.name, i.weight) for i in copy.indicators.all()] == [("工作实绩", Decimal("100.00"))]
    with pytest.raises(ValidationError, match="已存在"):
        services.create_scheme(org, by=ufd_staff, year=YEAR + 1)


def test_self_assessment_submit_needs_every_statement(scheme, liaison, student_department):
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    with pytest.raises(ValidationError, match="请先填写以下指标的自评说明：工作实绩"):
        services.submit_self_assessment(assessment, by=liaison)
    indicator = scheme.indicators.get()
    services.save_self_assessment(assessment, by=liaison, summary="总结", statements={indicator.pk: ("完成", None)})
    services.submit_self_assessment(assessment, by=liaison)
    with pytest.raises(ValidationError, match="自评已提交"):
        services.save_self_assessment(assessment, by=liaison, summary="改", statements={})


def test_scoring_sheet_and_results_notice(client, scheme, ufd_staff, leader):
    import io

    from docx import Document
    from openpyxl import load_workbook

    scored(scheme, ufd_staff, {"甲部门": "95", "乙部门": "72.5"})
    services.publish_results(scheme, by=ufd_staff)
    client.force_login(leader)  # leaders may read both
    response = client.get(reverse("assessment:export-xlsx", args=[scheme.pk]))
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows()
    ]
    header = rows.index(["排名", "部门", "工作实绩（满分100，权重100）", "加分", "扣分", "总分", "等次", "状态"])
    assert rows[header + 1] == [1, "甲部门", "95.00", None, None, "95.00", "优秀", "已评分"]
    assert rows[header + 2] == [2, "乙部门", "72.50", None, None, "72.50", "合格", "已评分"]
    response = client.get(reverse("assessment:export-docx", args=[scheme.pk]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"关于{YEAR}年度统战工作目标责任考核结果的通报" in text
    assert "对2个部门" in text and "评定甲部门为优秀等次" in text
    table = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert table == [
        ["排名", "部门", "总分", "等次"],
        ["1", "甲部门", "95.00", "优秀"],
        ["2", "乙部门", "72.50", "合格"],
    ]
    assert AuditEvent.objects.filter(action="export", user=leader, object_type="assessment.scheme").count() == 2


def test_scheme_thresholds_must_be_in_order(client, scheme, ufd_staff):
    client.force_login(ufd_staff)
    data = {
        "title": "方案",
        "letter_preamble": "",
        "excellent_min": "80",
        "good_min": "85",
        "pass_min": "60",
        "excellent_cap": "",
        "appeal_days": "7",
        "max_adjustment": "5",
    }
    response = client.post(reverse("assessment:scheme-edit", args=[scheme.pk]), data)
    assert "分数线须满足：优秀 &gt; 良好 &gt; 合格 ≥ 0。" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.excellent_min == Decimal("90")


def test_stale_scoring_is_refused_and_nothing_is_overwritten(client, scheme, ufd_staff, student_department):
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    opened_at = assessment.version
    indicator = scheme.indicators.get()
    services.save_scores(assessment, by=ufd_staff, scores={indicator.pk: ("70", "")})  # a colleague saves first
    client.force_login(ufd_staff)
    url = reverse("assessment:department", args=[assessment.pk])
    response = client.post(url, {f"points_{indicator.pk}": "95", "version": opened_at})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert [s.points for s in assessment.scores.all()] == [Decimal("70.00")]
    assert ScoreChange.objects.filter(score__assessment=assessment).count() == 1
