"""Publicity in English (issue 10, defect 10): the staff story list, story form and story page and
the public story pages show no Chinese outside user data; in the default language they stay
Chinese."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.models import User
from core.tests.english_demo import demo_user_data, english_leftovers, runs_of
from orgs.models import Organisation
from publicity.models import Story


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _english(client, username=None):
    if username:
        client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_staff_pages_in_english(demo, client):
    _english(client, "ufd")
    data = demo_user_data()
    news = Story.objects.get(organisation=demo, kind=Story.Kind.NEWS)

    listing = client.get(reverse("publicity:list"))
    assert english_leftovers(listing, user_data=data) == []
    for text in ("Write a story", "Awaiting review", "News", "Profile", "Published", "Filter"):
        assert text in listing.content.decode()

    form = client.get(reverse("publicity:create"))
    assert english_leftovers(form, user_data=data) == []
    for text in ("People in the story", "Work plan item", "Save draft"):
        assert text in form.content.decode()

    refused = client.post(reverse("publicity:create"), {"title": "", "kind": "news", "body": ""})
    assert english_leftovers(refused, user_data=data) == []
    assert "This field is required." in refused.content.decode()

    page = client.get(reverse("publicity:detail", args=[news.pk]))
    assert english_leftovers(page, user_data=data) == []
    for text in ("View public page", "Take the story down", "Reason for taking down", "Published on"):
        assert text in page.content.decode()


def test_public_pages_in_english(demo, client):
    _english(client)
    data = demo_user_data()
    stories = list(Story.objects.filter(organisation=demo, status=Story.Status.PUBLISHED))
    # The list shows each body's first 90 characters, without tags.
    shortened = runs_of(*[Truncator(strip_tags(s.body)).chars(90) for s in stories])
    # the page cuts a body inside a run of characters: any start of a run of the body is the body's text
    runs = runs_of(*[strip_tags(s.body) for s in stories], *[s.title for s in stories], demo.name)
    shortened += [run[:n] for run in runs for n in range(2, len(run) + 1)]

    listing = client.get(reverse("publicity:public-list", args=["demo"]))
    assert english_leftovers(listing, user_data=[*data, *shortened]) == []
    html = listing.content.decode()
    for text in ("United Front news", "Feature", "Profile", "published with the consent of the people in it"):
        assert text in html
    assert len(stories) == 2 and all(s.title in html for s in stories)

    page = client.get(reverse("publicity:public-detail", args=["demo", stories[0].pk]))
    assert english_leftovers(page, user_data=data) == []
    assert "Back to the stories" in page.content.decode()


def test_default_language_is_still_chinese(demo, client):
    client.force_login(User.objects.get(username="ufd"))
    html = client.get(reverse("publicity:list")).content.decode()
    assert "写报道" in html
    assert "Write a story" not in html
    client.logout()
    assert "统战工作宣传" in client.get(reverse("publicity:public-list", args=["demo"])).content.decode()
