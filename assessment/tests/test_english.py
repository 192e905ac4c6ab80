"""The annual assessment in English (issue 10, defect 10): the scheme pages, responsibility letters,
a department's self-assessment, scoring, and the published results (staff and liaison) show no
Chinese outside user data; in the default language they stay Chinese. The indicators' names and
descriptions, the letters' preamble and the scheme's title are the UFD's own text (user data)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from assessment import services
from assessment.models import DepartmentAssessment, Scheme
from core.tests.english_demo import demo_user_data, english_leftovers
from orgs.models import Organisation
from plans.models import Plan


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _english(client, username):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _liaison_assessment(demo):
    """学生工作处, the demo liaison's department, is left to self-assess by the demo."""
    return DepartmentAssessment.objects.get(scheme__organisation=demo, department__name="学生工作处")


def test_scheme_letters_and_scoring_pages_in_english(demo, client):
    _english(client, "ufd")
    data = demo_user_data()
    scheme = Scheme.objects.get(organisation=demo)
    plan = Plan.objects.get(organisation=demo, year=scheme.year, status=Plan.Status.PUBLISHED)
    scored = DepartmentAssessment.objects.get(scheme=scheme, department__name="党委宣传部")

    schemes = client.get(reverse("assessment:scheme-list"))
    assert english_leftovers(schemes, user_data=data) == []
    for text in ("Annual assessment and responsibility letters", "Not published", "New assessment scheme"):
        assert text in schemes.content.decode()

    detail = client.get(reverse("assessment:scheme-detail", args=[scheme.pk]))
    assert english_leftovers(detail, user_data=data) == []
    html = detail.content.decode()
    for text in (
        "Excellent ≥ 90",
        "excellent at most 30%",
        "Total weight",
        "Self-assessing",
        "Scored",
        "Publish results",
    ):
        assert text in html

    edit = client.get(reverse("assessment:scheme-edit", args=[scheme.pk]))
    assert english_leftovers(edit, user_data=data) == []
    assert "Cap on excellent grades (%)" in edit.content.decode()

    scoring = client.get(reverse("assessment:department", args=[scored.pk]))
    assert english_leftovers(scoring, user_data=data) == []
    html = scoring.content.decode()
    for text in ("Computed:", "Led items closed on time ÷ led items", "Bonuses and deductions", "Save scores"):
        assert text in html

    # A score out of range is refused in English.
    indicator = scheme.indicators.filter(metric="manual").first()
    refused = client.post(
        reverse("assessment:department", args=[scored.pk]),
        {f"points_{i.pk}": "999" for i in scheme.indicators.all()} | {"version": scored.version},
    )
    assert english_leftovers(refused, user_data=data, status=400) == []
    assert f"The score of “{indicator.name}” must be between 0 and" in refused.content.decode()

    letters = client.get(reverse("assessment:letters", args=[plan.pk]))
    assert english_leftovers(letters, user_data=data) == []
    for text in ("Responsibility letters", "Issued", "Signed", "Download .docx", "Record signing"):
        assert text in letters.content.decode()


def test_self_assessment_in_english(demo, client):
    _english(client, "liaison")
    data = demo_user_data()
    own = _liaison_assessment(demo)

    mine = client.get(reverse("assessment:mine"))
    assert english_leftovers(mine, user_data=data) == []
    for text in ("Our department's assessment", "Self-assessing", "Responsibility letters"):
        assert text in mine.content.decode()

    page = client.get(reverse("assessment:self", args=[own.pk]))
    assert english_leftovers(page, user_data=data) == []
    html = page.content.decode()
    for text in ("Self-assessment by indicator", "Evidence attached automatically", "Submit to the UFD"):
        assert text in html

    # Submitting with statements missing names them, in English.
    refused = client.post(reverse("assessment:self-submit", args=[own.pk]), follow=True)
    assert english_leftovers(refused, user_data=data) == []
    assert "Please first fill in the statement for these indicators" in refused.content.decode()


def test_published_results_in_english(demo, client):
    scheme = Scheme.objects.get(organisation=demo)
    ufd = User.objects.get(username="ufd")
    indicators = list(scheme.indicators.all())
    for assessment in DepartmentAssessment.objects.filter(scheme=scheme).exclude(status="scored"):
        services.save_self_assessment(
            assessment, by=ufd, summary="按要点完成", statements={i.pk: ("按要点完成", None) for i in indicators}
        )
        services.submit_self_assessment(assessment, by=ufd)
        services.save_scores(assessment, by=ufd, scores={i.pk: ("10", "") for i in indicators})
    services.publish_results(scheme, by=ufd)
    data = [*demo_user_data(), "按要点完成"]

    _english(client, "ufd")
    results = client.get(reverse("assessment:scheme-detail", args=[scheme.pk]))
    assert english_leftovers(results, user_data=data) == []
    assert "Results published; appeals until" in results.content.decode()

    _english(client, "liaison")
    mine = client.get(reverse("assessment:mine"))
    assert english_leftovers(mine, user_data=data) == []
    assert "rank " in mine.content.decode()
    own = client.get(reverse("assessment:self", args=[_liaison_assessment(demo).pk]))
    assert english_leftovers(own, user_data=data) == []
    for text in ("Result", "If you disagree with the result, you may appeal once before", "Appeal"):
        assert text in own.content.decode()


def test_default_language_is_still_chinese(demo, client):
    client.force_login(User.objects.get(username="ufd"))
    html = client.get(reverse("assessment:scheme-list")).content.decode()
    assert "年度考核与目标责任书" in html
    assert "Annual assessment and responsibility letters" not in html
    client.force_login(User.objects.get(username="liaison"))
    assert "本部门考核" in client.get(reverse("assessment:mine")).content.decode()
