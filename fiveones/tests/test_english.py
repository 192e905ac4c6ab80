"""The five ones in English (issue 10, defect 10): the member's card and report form (also in a 375 px
browser), the staff overview, ledger and queue show no Chinese outside user data; in the default
language they stay Chinese."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from conftest import shot
from core.tests.english import chinese_outside
from core.tests.english_demo import demo_user_data, english_leftovers, still_untranslated
from dashboard.demo import PASSWORD
from orgs.models import Organisation


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _english(client, username):
    from accounts.models import User

    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_member_pages_in_english(demo, client):
    _english(client, "member")
    data = demo_user_data()

    card = client.get(reverse("fiveones:card"))
    assert english_leftovers(card, user_data=data) == []
    html = card.content.decode()
    # The demo member has the book waiting for verification and the research still to do.
    for text in (
        "My Five Ones",
        "Read a good book",
        "Awaiting verification",
        "Carry out a piece of research",
        "Not done",
    ):
        assert text in html

    form = client.get(reverse("fiveones:report", args=["book"]))
    assert english_leftovers(form, user_data=data) == []
    for text in ("Book title", "Date finished", "Reading notes", "Submit"):
        assert text in form.content.decode()

    # A refused report: the form errors are English too.
    refused = client.post(reverse("fiveones:report", args=["book"]), {"title": "", "on": "2999-01-01"})
    assert english_leftovers(refused, user_data=data) == []
    assert "The date cannot be later than today." in refused.content.decode()


def test_staff_pages_in_english(demo, client):
    _english(client, "ufd")
    data = demo_user_data()

    overview = client.get(reverse("fiveones:overview"))
    assert english_leftovers(overview, user_data=data) == []
    for text in ("By activity", "Completion rate", "Members with 0–2 done", "Count towards a work plan target"):
        assert text in overview.content.decode()

    ledger = client.get(reverse("fiveones:ledger"))
    assert english_leftovers(ledger, user_data=data) == []
    assert "Five Ones member ledger" in ledger.content.decode()

    queue = client.get(reverse("fiveones:queue"))
    assert english_leftovers(queue, user_data=data) == []
    html = queue.content.decode()
    assert "Five Ones to verify" in html
    assert "乡土中国" in html  # the demo member's pending book (user data stays as entered)


def test_default_language_is_still_chinese(demo, client):
    from accounts.models import User

    client.force_login(User.objects.get(username="member"))
    html = client.get(reverse("fiveones:card")).content.decode()
    assert "我的五个一" in html
    assert "My Five Ones" not in html
    client.force_login(User.objects.get(username="ufd"))
    assert "按项目" in client.get(reverse("fiveones:overview")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_card_and_report_form_in_english_at_375px(live_server, phone):
    call_command("load_demo")
    data = demo_user_data()
    base = live_server.url
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    phone.goto(f"{base}/accounts/login/")
    phone.fill("input[name=username]", "member")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("button[type=submit]")

    phone.goto(f"{base}{reverse('fiveones:card')}")
    assert phone.locator(".m-title").inner_text() == "My Five Ones"
    assert phone.locator("#slot-book .badge").inner_text() == "Awaiting verification"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert chinese_outside(phone.content(), user_data=[*data, *still_untranslated()]) == []
    shot(phone, "fiveones-card-en-375")

    phone.click("#slot-research a.m-button")
    assert phone.locator("label[for=id_title]").inner_text().startswith("Research topic")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert chinese_outside(phone.content(), user_data=[*data, *still_untranslated()]) == []
    shot(phone, "fiveones-report-en-375")
