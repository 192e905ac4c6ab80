"""The registry pages in English (issue 10, defect 10): a page rendered in English shows no Chinese
characters except the data the test put there (names, departments, groups, notes…)."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from people import services
from people.models import Award, Category, Party, PartyMembership, PublicityConsent, PublicPost, StudyAbroad
from people.tests.xlsx import upload

from core.tests.english import chinese_outside  # isort: skip

pytestmark = pytest.mark.django_db

ORG = "示例职业技术学院"
DEPARTMENTS = ["党委统战部", "统战部", "学生工作处", "学工处"]
NAME = "王同心"
MEMBER = "张建言"
GROUP = "留学人员联谊会"
RAISED = "希望增加实验室开放时间"
FOLLOW_UP = "协调实验室管理处"
MET_BY = "李部长"
COUNTRY, SCHOOL, DEGREE = "英国", "剑桥大学", "博士"
AWARD, ISSUER = "优秀教师", "教育厅"
JOB, TITLE = "副院长", "教授"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def main(html: str) -> str:
    """The part of the page the people app renders: the top bar, menu and tab bar come from the
    project templates, which the project catalogue translates."""
    start = html.index("<main")
    return html[start : html.index("</main>", start)]


def page(client, url, data):
    response = english(client).get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    left = chinese_outside(main(html), user_data=data)
    assert left == [], (url, " ".join(left))
    return html


@pytest.fixture
def registry(org, ufd_staff, member, ufd_department, liaison):
    """A returned scholar in two categories with a party membership, a public post, an award, a
    publicity consent, a contact with an open follow-up and a static group; a member's pending change."""
    person = services.create_person(
        org,
        by=ufd_staff,
        data={
            "name": NAME,
            "gender": "M",
            "birth_month": date(1978, 5, 1),
            "staff_number": "T100",
            "department": ufd_department,
            "job_title": JOB,
            "professional_title": TITLE,
            "phone": "13912345678",
            "categories": [Category.DEMOCRATIC_PARTY, Category.RETURNED_SCHOLAR],
            "assigned_cadres": [liaison],
        },
    )
    PartyMembership.objects.create(person=person, party=Party.JIUSAN, join_month=date(2010, 6, 1))
    PublicPost.objects.create(person=person, kind=PublicPost.Kind.CPPCC, level=PublicPost.Level.CITY)
    Award.objects.create(person=person, name=AWARD, year=2023, issuer=ISSUER)
    StudyAbroad.objects.create(
        person=person,
        country_region=COUNTRY,
        institution=SCHOOL,
        degree=DEGREE,
        start_month=date(2008, 9, 1),
        end_month=date(2012, 7, 1),
        return_month=date(2012, 8, 1),
    )
    PublicityConsent.objects.create(person=person, given_at=date(2024, 3, 1))
    services.record_contact(
        person,
        by=ufd_staff,
        data={
            "date": timezone.localdate(),
            "met_by": MET_BY,
            "method": "talk",
            "raised": RAISED,
            "follow_up_needed": True,
            "follow_up": FOLLOW_UP,
        },
    )
    group = services.create_group(org, by=ufd_staff, name=GROUP)
    services.add_to_group(group, people=[person], by=ufd_staff)
    users = [str(u) for u in (ufd_staff, member, liaison)]
    data = [ORG, *DEPARTMENTS, NAME, MEMBER, GROUP, RAISED, FOLLOW_UP, MET_BY, COUNTRY, SCHOOL, DEGREE, AWARD]
    return {"person": person, "group": group, "data": [*data, ISSUER, JOB, TITLE, *users]}


def test_registry_list_person_page_and_form_are_english(client, ufd_staff, registry, monkeypatch):
    # The panels other apps add to the person page (events attended, suggestions) are their apps' own
    # templates and catalogues; this test reads the people app's part of the page.
    monkeypatch.setattr("people.panels._PANELS", {})
    client.force_login(ufd_staff)
    html = page(client, reverse("people:list"), registry["data"])
    assert "Add a person" in html and "Democratic party members, Returned scholars" in html
    html = page(client, reverse("people:detail", args=[registry["person"].pk]), registry["data"])
    assert "Jiusan Society" in html and "Municipal CPPCC member" in html
    assert "Consented on" in html and "Heart-to-heart talk" in html
    history = html.split('class="changes"', 1)[1].split("</td>", 1)[0]
    assert "Democratic party members, Returned scholars" in history  # stored in Chinese, shown in English
    html = page(client, reverse("people:edit", args=[registry["person"].pk]), registry["data"])
    assert "Staff number" in html and "United front categories" in html
    html = page(client, reverse("people:create"), registry["data"])
    assert "Month of birth" in html
    page(client, reverse("people:record-add", args=[registry["person"].pk, "study"]), registry["data"])


def test_contact_log_returned_list_and_figures_are_english(client, ufd_staff, leader, registry):
    client.force_login(ufd_staff)
    html = page(client, reverse("people:contacts"), registry["data"])
    assert "Open follow-ups only" in html
    html = page(client, reverse("people:contact-create", args=[registry["person"].pk]), registry["data"])
    assert "Thoughts, concerns and needs" in html
    record = registry["person"].contacts.get()
    html = page(client, reverse("people:contact-outcome", args=[record.pk]), registry["data"])
    assert "Outcome" in html and "Closed" in html
    html = page(client, reverse("people:returned"), registry["data"])
    assert "Returned scholars: detailed list" in html and "1 people" in html
    client.force_login(leader)
    html = page(client, reverse("people:figures"), registry["data"])
    assert "Registry figures" in html and "By category" in html


def test_liaison_contacts_page_is_english(client, liaison, registry):
    client.force_login(liaison)
    html = page(client, reverse("people:contacts"), registry["data"])
    assert "People the United Front Work Department asked me to keep in contact with" in html


def test_groups_are_english(client, ufd_staff, registry):
    client.force_login(ufd_staff)
    html = page(client, reverse("people:groups"), registry["data"])
    assert "New fixed list" in html and "Fixed list" in html
    page(client, reverse("people:group-detail", args=[registry["group"].pk]), registry["data"])


def test_import_page_and_preview_are_english(client, ufd_staff, ufd_department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from people.imports import HEADERS

    client.force_login(ufd_staff)
    html = page(client, reverse("people:import"), [ORG])
    assert "Upload and check" in html
    good = [
        [
            {"姓名": "张三", "工号": "T1", "所在部门": "统战部", "统战对象类别": "党外知识分子"}.get(h, "")
            for h in HEADERS
        ]
    ]
    response = english(client).post(reverse("people:import"), {"file": upload(good)})
    assert chinese_outside(main(response.content.decode()), user_data=[ORG, "名单.xlsx", "张三"]) == []
    assert "Non-party intellectuals" in response.content.decode()
    bad = [[{"姓名": "王五", "工号": "T3", "所在部门": "火星学院"}.get(h, "") for h in HEADERS]]
    response = english(client).post(reverse("people:import"), {"file": upload(bad)})
    html = response.content.decode()
    # the file's own words: its name, the column header 所在部门 and the unknown department it names
    assert chinese_outside(main(html), user_data=[ORG, "名单.xlsx", "所在部门", "火星学院"]) == []
    assert "1 problems found; nothing was saved" in html and "Unknown department “火星学院”" in html


def test_change_requests_are_english(client, ufd_staff, member, registry):
    client.force_login(member)
    english(client)  # the member proposes in English too (the confirmation message is in English)
    client.post(reverse("people:me-edit"), {"job_title": "讲师", "professional_title": "副教授"})
    client.force_login(ufd_staff)
    html = page(client, reverse("people:changes"), [*registry["data"], "讲师", "副教授"])
    assert "Approve" in html and "Position" in html


def test_member_profile_pages_are_english(client, member, registry):
    client.force_login(member)
    english(client)
    member.person.job_title = "讲师"
    member.person.save()
    client.post(reverse("people:me-edit"), {"job_title": "副教授"})
    html = page(client, reverse("people:me"), [*registry["data"], "讲师", "副教授"])
    assert "waiting for review by the United Front Work Department" in html and "Change my details" in html
    html = page(client, reverse("people:me-edit"), [*registry["data"], "讲师", "副教授"])
    assert "Submit for review" in html


def test_registry_pages_stay_chinese_by_default(client, ufd_staff, registry):
    client.force_login(ufd_staff)
    html = client.get(reverse("people:detail", args=[registry["person"].pk])).content.decode()
    assert "九三学社" in html and "谈心谈话" in html and "统战对象类别" in html
    html = client.get(reverse("people:list")).content.decode()
    assert "添加统战对象" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_changes_their_details_in_english_on_a_375px_phone(live_server, phone, member):
    from conftest import log_in, shot, submit

    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(phone, live_server.url, "member")
    phone.goto(f"{live_server.url}/people/me/")
    phone.click("text=Change my details")
    phone.fill("input[name=job_title]", "讲师")
    submit(phone, "button:has-text('Submit for review')")
    assert "waiting for review by the United Front Work Department" in phone.locator("#pending-change").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert chinese_outside(main(phone.content()), user_data=[ORG, MEMBER, "讲师"]) == []
    shot(phone, "people-member-profile-en-375")
