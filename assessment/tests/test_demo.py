from decimal import Decimal

import pytest
from django.core.management import call_command

from assessment.models import DepartmentAssessment, ResponsibilityLetter, Scheme
from budget.models import BudgetLine
from budget.queries import event_cost, execution
from events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_has_a_scheme_self_assessments_scores_and_a_budget(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    scheme = Scheme.objects.get(organisation__slug="demo")
    assessments = {a.department.name: a for a in DepartmentAssessment.objects.filter(scheme=scheme)}
    scored = {name for name, a in assessments.items() if a.status == "scored"}
    assert scored == {"党委宣传部", "党委组织部", "人事劳资处"}
    assert assessments["学生工作处"].status == "open"
    assert all(assessments[name].total is not None for name in scored)
    letters = ResponsibilityLetter.objects.filter(plan__organisation=scheme.organisation)
    assert letters.filter(status="signed").count() == 2
    assert not letters.filter(status="draft").exists()

    figures = execution(scheme.organisation, scheme.year)
    # 12000 + 20000 + 10000 + 6000 + 15000 budgeted; 1280 + 356.50 + 8400 + 9600 + 1850.75 + 4000 spent.
    assert figures["budget"] == Decimal("63000.00")
    assert figures["spent"] == Decimal("25487.25")
    activities = BudgetLine.objects.get(organisation=scheme.organisation, category="activities")
    assert activities.alerted_80_at is not None  # 10036.50 / 12000 = 83.6 %
    assert activities.alerted_100_at is None
    symposium = Event.objects.filter(organisation=scheme.organisation, type="symposium").first()
    if symposium.starts_at.year == scheme.year:
        assert event_cost(symposium.pk)["total"] == Decimal("1636.50")
