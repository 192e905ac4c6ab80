"""Computed indicators against the hand-built ledger of conftest.py (expected numbers by hand)."""

from decimal import Decimal

import pytest

from assessment import services
from assessment.metrics import compute
from assessment.models import DepartmentAssessment, Indicator, Metric
from assessment.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(org, ufd_staff):
    scheme = services.create_scheme(org, by=ufd_staff, year=YEAR, copy_last_year=False)
    scheme.indicators.all().delete()
    return scheme


def indicator(scheme, metric, *, max_points="100", weight="10", target_count=1):
    return Indicator.objects.create(
        scheme=scheme,
        name=metric,
        metric=metric,
        weight=Decimal(weight),
        max_points=Decimal(max_points),
        target_count=target_count,
    )


@pytest.mark.parametrize(
    ("metric", "numerator", "denominator", "points"),
    [
        (Metric.ITEMS_ON_TIME, 1, 3, "33.33"),  # A on time; B late; C open
        (Metric.TARGETS_ACHIEVED, 4, 6, "66.67"),  # (2 + 1 + min(5, 1)) / (2 + 3 + 1)
        (Metric.REPORTS_SUBMITTED, 3, 4, "75.00"),  # A, C, E reported; B not
        (Metric.PROPOSALS_ON_TIME, 1, 3, "33.33"),  # P1 on time; P2 late; P3 overdue; P4 not due
        (Metric.EVENTS_HELD, 3, 2, "100.00"),  # three held, target 2: capped at full marks
        (Metric.PARTICIPATION, 2, 4, "50.00"),  # 学工0 and 学工1 of four
    ],
)
def test_computed_indicator_from_the_ledger(ledger, scheme, student_department, metric, numerator, denominator, points):
    result = compute(indicator(scheme, metric, target_count=2), student_department)
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.points(Decimal("100")) == Decimal(points)


def test_events_held_below_target_scores_in_proportion(ledger, scheme, student_department):
    result = compute(indicator(scheme, Metric.EVENTS_HELD, max_points="20", target_count=4), student_department)
    assert result.points(Decimal("20")) == Decimal("15.00")  # 3 / 4 × 20


def test_explanation_names_the_records(ledger, scheme, student_department):
    explained = compute(indicator(scheme, Metric.ITEMS_ON_TIME), student_department).as_dict(Decimal("100"))
    assert explained["ratio"] == "33.3%"
    assert len(explained["records"]) == 3
    assert any("任务A" in line and "按时" in line for line in explained["records"])
    assert any("任务C" in line and "未办结" in line for line in explained["records"])
    events = compute(indicator(scheme, Metric.EVENTS_HELD, target_count=2), student_department).records
    assert [line.split("（")[0] for line in events] == ["活动0", "活动1", "活动2"]


def test_department_with_nothing_to_count_gets_full_points_and_says_so(ledger, scheme, ufd_department):
    explained = compute(indicator(scheme, Metric.PROPOSALS_ON_TIME), ufd_department).as_dict(Decimal("10"))
    assert explained["points"] == "10.00"
    assert "无相关记录，按满分计" in explained["rule"]


def test_weighted_total_from_scores_and_adjustments(ledger, scheme, student_department, ufd_staff):
    a = indicator(scheme, Metric.ITEMS_ON_TIME, max_points="100", weight="60")
    b = indicator(scheme, Metric.MANUAL, max_points="20", weight="40")
    assessment = DepartmentAssessment.objects.create(scheme=scheme, department=student_department)
    services.save_scores(assessment, by=ufd_staff, scores={a.pk: ("33.33", ""), b.pk: ("15", "")})
    services.add_adjustment(assessment, by=ufd_staff, kind="bonus", points="2", reason="获奖")
    services.add_adjustment(assessment, by=ufd_staff, kind="deduction", points="1.5", reason="迟报")
    assessment.refresh_from_db()
    # 33.33 / 100 × 60 = 19.998; 15 / 20 × 40 = 30; + 2 − 1.5 → 50.498 → 50.50
    assert assessment.total == Decimal("50.50")
    assert assessment.rank == 1
