"""The events pages in English (issue 10, defect 10): each main page, as the role that uses it,
shows no Chinese outside the user data the test put there (titles, places, names, departments)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.tests.english import chinese_outside
from events import services
from events.models import EventFeedback, ExternalRegistration, Registration
from events.tests.conftest import invite
from events.tests.factories import EventFactory
from people.models import Category

pytestmark = pytest.mark.django_db

TITLE = "统战工作座谈会"
PLACE = "行政楼301会议室"
# The user data these pages show: the event, the people and their departments, the organisation.
# The registry categories offered in the invitation checkboxes are the people app's choices, which its
# own catalogue translates (another branch); they are not this app's strings.
PEOPLE_CATEGORIES = [label for _, label in Category.choices]
USER_DATA = [TITLE, PLACE, "张建言", "李候补", "王来宾", "外校", "党委统战部", "示例职业技术学院", "食堂晚餐时间太短"]


def own_part(response) -> str:
    """The part of the page this app renders: the <title>, the member page title and <main>. The
    menus and tab bar around it come from the project templates, which the project catalogue
    translates (locale/en, kept by the i18n-core branch) and its own tests check."""
    html = response.content.decode()
    parts = [*re.findall(r"<title>.*?</title>", html, re.S), *re.findall(r'<h1 class="m-title">.*?</h1>', html)]
    parts += re.findall(r"<main.*?</main>", html, re.S)
    assert parts, "no <main> on the page"
    return "\n".join(parts)


def english(client, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def busy_event(org, ufd_staff, ufd_department, member, make_member):
    """A published event starting within the hour (check-in open), organised by 党委统战部, capacity
    1: the member registered and checked in, a second member on the waiting list, one external
    guest, one piece of feedback."""
    start = timezone.now() + timedelta(minutes=30)
    event = EventFactory(
        organisation=org,
        title=TITLE,
        place=PLACE,
        department=ufd_department,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=1,
        public_signup=True,
        description="座谈会介绍",
    )
    second = make_member("李候补")
    invite(event, member.person, second)
    services.register(event, person=member.person, by=member)
    services.register(event, person=second, by=second.user)
    registration = Registration.objects.get(event=event, person=member.person)
    services.check_in(registration, by=ufd_staff)
    ExternalRegistration.objects.create(event=event, name="王来宾", unit="外校")
    EventFeedback.objects.create(event=event, text="食堂晚餐时间太短", raised_by="张建言")
    return event


def test_staff_event_list_in_english(client, ufd_staff, busy_event):
    response = english(client, ufd_staff).get(reverse("events:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Events and meetings" in text
    assert "Symposium" in text  # the event type
    assert "New event" in text
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []


def test_staff_event_page_in_english(client, ufd_staff, busy_event, monkeypatch):
    monkeypatch.setattr("events.panels.DETAIL_PANELS", [])  # the budget app's panel has its own catalogue
    response = english(client, ufd_staff).get(reverse("events:detail", args=[busy_event.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Published" in text  # the status badge
    assert "Waiting list (1)" in text
    assert "External sign-ups (1)" in text
    assert "Checked in" in text
    assert chinese_outside(own_part(response), user_data=[*USER_DATA, "座谈会介绍"]) == []


def test_event_form_in_english(client, ufd_staff, busy_event):
    client = english(client, ufd_staff)
    new = client.get(reverse("events:create"))
    assert new.status_code == 200
    assert "New event" in new.content.decode()
    assert "Registration closes" in new.content.decode()
    assert chinese_outside(own_part(new), user_data=[*USER_DATA, *PEOPLE_CATEGORIES]) == []
    edit = client.get(reverse("events:edit", args=[busy_event.pk]))
    assert f"Edit {TITLE}" in edit.content.decode()
    assert chinese_outside(own_part(edit), user_data=[*USER_DATA, *PEOPLE_CATEGORIES, "座谈会介绍"]) == []


def test_event_form_errors_in_english(client, ufd_staff):
    start = timezone.localtime() + timedelta(days=5)
    response = english(client, ufd_staff).post(
        reverse("events:create"),
        {
            "title": TITLE,
            "type": "symposium",
            "starts_at": start.strftime("%Y-%m-%dT16:30"),
            "ends_at": start.strftime("%Y-%m-%dT14:30"),
            "version": "",
        },
    )
    assert response.status_code == 200
    assert "The end cannot be before the start." in response.content.decode()
    assert chinese_outside(own_part(response), user_data=[*USER_DATA, *PEOPLE_CATEGORIES]) == []


def test_attendance_page_and_poster_in_english(client, ufd_staff, busy_event):
    client = english(client, ufd_staff)
    attendance = client.get(reverse("events:attendance", args=[busy_event.pk]))
    assert attendance.status_code == 200
    assert "1 registered" in attendance.content.decode()
    assert "Undo check-in" in attendance.content.decode()
    assert chinese_outside(own_part(attendance), user_data=USER_DATA) == []
    poster = client.get(reverse("events:poster", args=[busy_event.pk]))
    assert "Scan with your phone to check in" in poster.content.decode()
    assert chinese_outside(own_part(poster), user_data=USER_DATA) == []


def test_minutes_photos_feedback_page_in_english(client, ufd_staff, busy_event):
    response = english(client, ufd_staff).get(reverse("events:report", args=[busy_event.pk]))
    assert response.status_code == 200
    assert "Feedback raised at the event (1)" in response.content.decode()
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []


def test_member_event_list_and_page_in_english(client, member, busy_event):
    client = english(client, member)
    listing = client.get(reverse("events:m-list"))
    assert listing.status_code == 200
    assert "Registered · Checked in" in listing.content.decode()
    assert chinese_outside(own_part(listing), user_data=USER_DATA) == []
    page = client.get(reverse("events:m-detail", args=[busy_event.pk]))
    assert "Cancel registration" in page.content.decode()  # the event has not started yet
    assert "Add to calendar (.ics)" in page.content.decode()
    assert chinese_outside(own_part(page), user_data=[*USER_DATA, "座谈会介绍"]) == []
    mine = client.get(reverse("events:m-mine"))
    assert "My events" in mine.content.decode()
    assert chinese_outside(own_part(mine), user_data=USER_DATA) == []


def test_member_waiting_list_page_in_english(client, busy_event):
    second = Registration.objects.get(event=busy_event, status=Registration.Status.WAITING).person.user
    response = english(client, second).get(reverse("events:m-detail", args=[busy_event.pk]))
    assert "No. 1 on the waiting list" in response.content.decode()
    assert "Full (waiting list open)" in response.content.decode()
    assert chinese_outside(own_part(response), user_data=[*USER_DATA, "座谈会介绍"]) == []


def test_check_in_page_in_english(client, busy_event):
    second = Registration.objects.get(event=busy_event, status=Registration.Status.WAITING).person.user
    url = reverse("events:m-checkin", args=[busy_event.pk, busy_event.checkin_token])
    response = english(client, second).get(url)
    assert response.status_code == 200
    assert "you do not have a place yet" in response.content.decode()
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []
    done = client.post(url, follow=True)
    assert done.status_code == 200
    assert chinese_outside(own_part(done), user_data=USER_DATA) == []


def test_public_signup_page_in_english(client, org):
    event = EventFactory(organisation=org, title=TITLE, place=PLACE, capacity=30, public_signup=True)
    url = reverse("events:public-signup", args=[event.public_token])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    assert "Only your name and organisation are collected" in response.content.decode()
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []
    done = client.post(url, {"name": "王来宾", "unit": "外校"})
    assert "Signed up" in done.content.decode()
    assert chinese_outside(own_part(done), user_data=USER_DATA) == []


def test_full_public_signup_page_in_english(client, busy_event):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("events:public-signup", args=[busy_event.public_token]))
    assert "The event is full; sign-up has closed." in response.content.decode()
    assert chinese_outside(own_part(response), user_data=USER_DATA) == []


def test_the_same_pages_stay_chinese_by_default(client, ufd_staff, member, busy_event):
    client.force_login(ufd_staff)
    assert "活动与会议" in client.get(reverse("events:list")).content.decode()
    assert "候补名单（1）" in client.get(reverse("events:detail", args=[busy_event.pk])).content.decode()
    client.force_login(member)
    assert "已报名 · 已签到" in client.get(reverse("events:m-list")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_event_pages_in_english_on_a_phone(live_server, phone, org, ufd_staff, ufd_department, member):
    """At 375 px, in English: the member's event list and event page read in English, fit the
    screen, and registering works."""
    from conftest import log_in, shot, submit

    start = timezone.now() + timedelta(days=3)
    event = EventFactory(
        organisation=org,
        title=TITLE,
        place=PLACE,
        department=ufd_department,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=30,
    )
    invite(event, member.person)
    base = live_server.url
    log_in(phone, base, "member")
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])

    phone.goto(f"{base}{reverse('events:m-list')}")
    main = phone.inner_text("main")
    assert "Awaiting reply" in main
    assert chinese_outside(main, user_data=USER_DATA) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "events-member-list-en-375")

    phone.click(f"a[href='{reverse('events:m-detail', args=[event.pk])}']")
    phone.wait_for_load_state()
    assert chinese_outside(phone.inner_text("main"), user_data=USER_DATA) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    submit(phone, "button:has-text('Register')")
    main = phone.inner_text("main")
    assert "Registered." in main
    assert "Cancel registration" in main
    assert chinese_outside(main, user_data=USER_DATA) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "events-member-detail-en-375")
