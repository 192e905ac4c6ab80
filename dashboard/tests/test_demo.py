"""The demo looks like real use (issue 10, defect 14): the seed plan as this year's plan with
dates relative to today (green, yellow and red lights), consistent registry dates, 职务 and 职称
apart, and a few departments without a liaison that 督办 and 催办 point out."""

import time
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from orgs.models import Department, Organisation
from people.models import Person, StudyAbroad
from plans.models import Item, Plan

pytestmark = pytest.mark.django_db

PROFESSIONAL_TITLES = {"教授", "副教授", "讲师", "高级工程师", "实验师", "助教", "研究员", "副研究员"}


@pytest.fixture
def demo(capsys):
    started = time.monotonic()
    call_command("load_demo")
    elapsed = time.monotonic() - started
    call_command("load_demo")  # idempotent: the second run changes nothing
    return Organisation.objects.get(slug="demo"), elapsed


def test_the_demo_plan_is_this_years_with_the_seed_text(demo):
    org, _ = demo
    year = timezone.localdate().year
    plan = Plan.objects.get(organisation=org)
    assert (plan.year, plan.title, plan.status) == (year, f"职业技术学院{year}年统战工作要点", "published")
    items = {i.number: i for i in plan.items.all()}
    assert len(items) == 16
    assert items[10].title == "关心留学回国人员"
    assert "2021年新修订的" in items[2].text  # other years in the text are the document's own


def test_the_demo_traffic_lights_show_all_three_colours(demo):
    org, _ = demo
    today = timezone.localdate()
    items = Item.objects.filter(plan__organisation=org).prefetch_related("milestones")
    lights = {i.number: i.light_on(today) for i in items}
    assert lights[2] == lights[10] == lights[5] == Item.Light.RED
    assert lights[3] == lights[7] == Item.Light.YELLOW
    # item 9 (专题报道) is done by the demo's two published stories, which meet its target of 2
    assert lights[1] == lights[4] == lights[9] == lights[13] == Item.Light.GREEN
    assert sorted(i.number for i in Item.objects.filter(plan__organisation=org).overdue(today)) == [2, 10]


def test_returned_scholars_return_after_their_study_ends(demo):
    studies = StudyAbroad.objects.exclude(return_month=None)
    assert studies.exists()
    assert all(s.start_month < s.end_month < s.return_month for s in studies)


def test_posts_and_professional_titles_are_not_mixed_up(demo):
    people = list(Person.objects.all())
    assert all(p.professional_title in PROFESSIONAL_TITLES for p in people)
    assert not any(p.job_title in PROFESSIONAL_TITLES for p in people)
    assert any(p.job_title for p in people)


def test_some_departments_have_no_liaison_and_supervision_says_so(demo, client):
    org, _ = demo
    with_liaison = set(
        Department.objects.filter(organisation=org, memberships__role="liaison").values_list("name", flat=True)
    )
    without = set(Department.objects.filter(organisation=org).values_list("name", flat=True)) - with_liaison
    assert without == {"人事劳资处", "党委宣传部", "财务处", "科研处"}

    client.force_login(User.objects.get(username="ufd"))
    response = client.get(reverse("plans:supervision"))
    overdue = next(b for b in response.context["boards"] if b["key"] == "overdue")
    item10 = next(i for i in overdue["items"] if i.number == 10)
    assert item10.lead_without_liaison is True
    assert "无联络员" in response.content.decode()

    urged = client.post(reverse("plans:item-urge", args=[item10.pk]), {"note": ""})
    assert [str(m) for m in get_messages(urged.wsgi_request)] == [
        "以下部门没有联络员，催办未能送达：人事劳资处。请在部门管理中为其指定联络员，或电话催办。"
    ]


def test_liaisons_see_their_departments_items(demo, client):
    client.force_login(User.objects.get(username="tzb"))
    response = client.get(reverse("plans:my-department"))
    assert len(response.context["lead"]) == 14  # 党委统战部 leads 14 of the seed plan's 16 items


def test_load_demo_is_fast(demo):
    _, elapsed = demo
    assert elapsed < 30, f"load_demo took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("today", "expect_this_year"),
    [(date(2026, 3, 1), True), (date(2026, 12, 2), True), (date(2026, 12, 20), False)],
)
def test_green_due_dates_stay_in_the_plan_year_when_it_has_room(today, expect_this_year):
    from dashboard.demo import _later_due_dates

    dates = _later_due_dates([1, 4, 5, 6, 7], today)
    assert all((d - today).days > 7 for d in dates.values())
    assert list(dates.values()) == sorted(dates.values())
    assert all(d.year == today.year for d in dates.values()) is expect_this_year
