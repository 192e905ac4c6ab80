"""The year-end summary in English (issue 10, defect 10): the summary page (overview, charts,
results, budget), before and after the draft is generated, shows no Chinese outside user data; in
the default language it stays Chinese.

The draft itself and the highlights to choose from are the body of the Word document the UFD hands
in (an official Chinese document): they are written in Chinese whatever the interface language,
and count as user data here."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.tests.english_demo import demo_user_data, english_leftovers
from orgs.models import Organisation
from plans.models import Plan, Section
from reports import summary
from reports.models import SummaryDraft


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _chart_labels(plan) -> list[str]:
    """The charts shorten a section title longer than 10 characters to its first 9 and "…"."""
    titles = Section.objects.filter(plan=plan).values_list("title", flat=True)
    return [t[:9] for t in titles if len(t) > 10]


def test_summary_page_in_english(demo, client):
    plan = Plan.objects.get(organisation=demo, status=Plan.Status.PUBLISHED)
    client.force_login(User.objects.get(username="ufd"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:summary") + f"?year={plan.year}"
    data = [*demo_user_data(), *_chart_labels(plan)]

    page = client.get(url)
    assert english_leftovers(page, user_data=data) == []
    html = page.content.decode()
    for text in (
        f"United Front work summary {plan.year}",
        f"In {plan.year}, under the leadership of the college Party committee",
        "Average progress by plan section",
        "Events by month",
        "Suggestion handling",
        "Generate a summary draft",
        "Budget execution",
    ):
        assert text in html

    client.post(reverse("reports:summary-generate"), {"year": plan.year})
    draft = SummaryDraft.objects.get(organisation=demo, year=plan.year)
    assert draft.text.startswith(f"{demo.name}{plan.year}年统战工作总结")  # the document stays Chinese
    with translation.override("zh-hans"):
        highlights = summary.highlight_choices(summary.ledger(demo, plan.year))
    page = client.get(url)
    assert english_leftovers(page, user_data=[*demo_user_data(), *_chart_labels(plan), *highlights]) == []
    for text in ("Summary draft (editable)", "Choose highlights", "Save draft", "Regenerate the text from the ledger"):
        assert text in page.content.decode()


def test_default_language_is_still_chinese(demo, client):
    client.force_login(User.objects.get(username="ufd"))
    html = client.get(reverse("reports:summary")).content.decode()
    assert "一键生成总结草稿" in html
    assert "工作要点各部分平均进度" in html
    assert "Generate a summary draft" not in html
