"""Study in English (issue 10, defect 10): the member's list, reading page and points (also in a
375 px browser), the staff list, material form, material page and member figures show no Chinese
outside user data; in the default language they stay Chinese."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from conftest import shot
from core.tests.english import chinese_outside
from core.tests.english_demo import demo_user_data, english_leftovers, still_untranslated
from dashboard.demo import PASSWORD
from orgs.models import Organisation
from study.models import Assignment, StudyMaterial

ARTICLE = "学习《中国共产党统一战线工作条例》"  # the demo's article, with two quiz questions


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _english(client, username):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_member_pages_in_english(demo, client):
    _english(client, "member")
    data = demo_user_data()
    article = StudyMaterial.objects.get(organisation=demo, title=ARTICLE)

    listing = client.get(reverse("study:m-list"))
    assert english_leftovers(listing, user_data=data) == []
    for text in ("Required", "Optional", "Points in detail"):
        assert text in listing.content.decode()

    reading = client.get(reverse("study:m-detail", args=[article.pk]))
    assert english_leftovers(reading, user_data=data) == []
    html = reading.content.decode()
    for text in ("— End —", "Quiz passed", "Best score", "Back to the study list"):
        assert text in html

    # The quiz form, as a member who has not passed it yet sees it.
    Assignment.objects.filter(material=article, person__user__username="member").update(
        quiz_passed_at=None, quiz_score=None
    )
    quiz = client.get(reverse("study:m-detail", args=[article.pk]))
    assert english_leftovers(quiz, user_data=data) == []
    for text in ("Submit quiz", "(several answers)", "Pass mark 60"):
        assert text in quiz.content.decode()

    points = client.get(reverse("study:m-points"))
    assert english_leftovers(points, user_data=data) == []
    assert "My study points" in points.content.decode()


def test_staff_pages_in_english(demo, client):
    _english(client, "ufd")
    data = demo_user_data()
    article = StudyMaterial.objects.get(organisation=demo, title=ARTICLE)

    listing = client.get(reverse("study:list"))
    assert english_leftovers(listing, user_data=data) == []
    for text in ("New study material", "Push time", "Published"):
        assert text in listing.content.decode()

    form = client.get(reverse("study:create"))
    assert english_leftovers(form, user_data=data) == []
    for text in ("Push time", "Quiz pass mark (out of 100)", "Send to categories", "Not needed"):
        assert text in form.content.decode()

    refused = client.post(reverse("study:create"), {"title": "测试", "kind": "article", "body": ""})
    assert english_leftovers(refused, user_data=[*data, "测试"]) == []
    assert "An article needs a body." in refused.content.decode()

    detail = client.get(reverse("study:detail", args=[article.pk]))
    assert english_leftovers(detail, user_data=data) == []
    for text in ("Add a quiz question", "Remind unread members", "Unread"):
        assert text in detail.content.decode()

    figures = client.get(reverse("study:members"))
    assert english_leftovers(figures, user_data=data) == []
    for text in ("Rank", "Read rate", "Study points"):
        assert text in figures.content.decode()


def test_default_language_is_still_chinese(demo, client):
    client.force_login(User.objects.get(username="member"))
    html = client.get(reverse("study:m-list")).content.decode()
    assert "查看积分明细" in html
    assert "Points in detail" not in html
    client.force_login(User.objects.get(username="ufd"))
    assert "新建学习材料" in client.get(reverse("study:list")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_list_and_reading_page_in_english_at_375px(live_server, phone):
    call_command("load_demo")
    data = [*demo_user_data(), *still_untranslated()]
    base = live_server.url
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    phone.goto(f"{base}/accounts/login/")
    phone.fill("input[name=username]", "member")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("button[type=submit]")

    phone.goto(f"{base}{reverse('study:m-list')}")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert chinese_outside(phone.content(), user_data=data) == []
    shot(phone, "study-list-en-375")

    phone.click(f"text={ARTICLE}")
    phone.wait_for_selector("text=— End —")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert chinese_outside(phone.content(), user_data=data) == []
    shot(phone, "study-reading-en-375")
