"""The plans pages in English (issue 10, defect 10): a page rendered in English shows no Chinese
characters except the data the test put there (plan, section and task titles, departments…)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.tests.english import chinese_outside
from plans import services
from plans.models import Milestone, PlanImport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory

ORG = "示例职业技术学院"
DEPARTMENTS = ["党委统战部", "统战部", "学生工作处", "学工处"]
SECTION = "加强思想政治引领"
OVERDUE = "召开党外人士座谈会"
SOON = "开展同心学习活动"
TEXT = "每学期召开一次，听取意见建议。"
TARGET = "召开座谈会"
MILESTONE = "上半年座谈"
REPORT = "已召开筹备会"
CLOSING = "学习材料已全部下发"
PREAMBLE = "坚持大团结大联合"
ACHIEVEMENT = "春季座谈会"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def tracked(org, ufd_staff, liaison, student_department, ufd_department, person):
    """A published plan: one overdue item with a target, a milestone, reports, an urge and an edit on
    its timeline; one item due soon whose closing report waits for review."""
    today = timezone.localdate()
    title = f"{today.year}年统战工作要点"
    plan = PlanFactory(organisation=org, year=today.year, title=title, preamble=PREAMBLE)
    section = SectionFactory(plan=plan, marker="一、", title=SECTION)
    overdue = ItemFactory(
        section=section, plan=plan, title=OVERDUE, text=TEXT, lead_department=student_department, due_date=today
    )
    overdue.support_departments.add(ufd_department)
    soon = ItemFactory(
        section=section, plan=plan, title=SOON, lead_department=student_department, due_date=today + timedelta(days=3)
    )
    target = TargetFactory(item=overdue, text=TARGET, count=2)
    milestone = Milestone.objects.create(item=overdue, title=MILESTONE, due_date=today - timedelta(days=10))
    services.post_report(overdue, by=liaison, text=REPORT)
    services.record_achievement(target, source=person, by=ufd_staff, label=ACHIEVEMENT)
    services.complete_milestone(milestone, by=liaison)
    services.urge(overdue, by=ufd_staff, note="")
    overdue.refresh_from_db()
    services.update_item(overdue, by=ufd_staff, data={"due_date": today - timedelta(days=2)}, version=overdue.version)
    services.post_report(soon, by=liaison, text=CLOSING, closing=True)
    TargetFactory(item=soon, text=TARGET, count=1)
    overdue.refresh_from_db()
    soon.refresh_from_db()
    data = [ORG, *DEPARTMENTS, title, "一、", SECTION, OVERDUE, SOON, TEXT, TARGET, MILESTONE, REPORT, CLOSING]
    data += [str(ufd_staff), str(liaison)]  # the users' names
    return {"plan": plan, "overdue": overdue, "soon": soon, "data": [*data, PREAMBLE, ACHIEVEMENT]}


def main(html: str) -> str:
    """The part of the page the plans app renders: the page chrome (top bar, menu, pager) comes from
    the project templates, which the project catalogue translates."""
    start = html.index("<main")
    return html[start : html.index("</main>", start)]


def page(client, url, data):
    response = english(client).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert chinese_outside(main(html), user_data=data) == [], url
    return html


@pytest.mark.django_db
def test_plan_list_and_tree_are_english(client, ufd_staff, tracked):
    client.force_login(ufd_staff)
    html = page(client, reverse("plans:list"), tracked["data"])
    assert "Import a work plan" in html
    html = page(client, reverse("plans:detail", args=[tracked["plan"].pk]), tracked["data"])
    assert "Overall progress" in html
    assert "Lead department" in html and "Deadline" in html
    assert "Overdue" in html and "Red" in html  # status badge and light of the overdue item


@pytest.mark.django_db
def test_item_page_and_its_timeline_are_english(client, ufd_staff, tracked):
    client.force_login(ufd_staff)
    html = page(client, reverse("plans:item-detail", args=[tracked["overdue"].pk]), tracked["data"])
    timeline = html.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "Not started → In progress" in timeline
    assert f"Milestone “{MILESTONE}”: Done" in timeline
    assert f"“{TARGET}” counted: {ACHIEVEMENT}" in timeline
    assert "Deadline" in timeline  # the edit names the field it changed
    assert "Urge" in timeline and "Report progress" in timeline
    # the closing report waiting for review, with an unmet target: the accept form asks for a reason
    html = page(client, reverse("plans:item-detail", args=[tracked["soon"].pk]), tracked["data"])
    assert "Closing report waiting for review" in html
    assert "Accept (close item)" in html


@pytest.mark.django_db
def test_item_page_for_the_lead_liaison_and_the_edit_form_are_english(client, liaison, ufd_staff, tracked):
    client.force_login(liaison)
    html = page(client, reverse("plans:item-detail", args=[tracked["overdue"].pk]), tracked["data"])
    assert "This is a closing report (request to close the item)" in html
    client.force_login(ufd_staff)
    html = page(client, reverse("plans:item-edit", args=[tracked["overdue"].pk]), tracked["data"])
    assert "Person responsible" in html and "Save" in html


@pytest.mark.django_db
def test_supervision_and_my_department_are_english(client, ufd_staff, liaison, tracked):
    client.force_login(ufd_staff)
    html = page(client, reverse("plans:supervision"), tracked["data"])
    assert "Closing reports to review" in html and "Urge selected" in html
    client.force_login(liaison)
    html = page(client, reverse("plans:my-department"), tracked["data"])
    assert "Needs attention" in html and "We lead (2)" in html


@pytest.mark.django_db
def test_import_page_is_english(client, ufd_staff):
    client.force_login(ufd_staff)
    html = page(client, reverse("plans:import"), [ORG])
    assert "Start parsing" in html and "Or paste the text" in html


@pytest.mark.django_db(transaction=True)
def test_import_review_is_english(client, ufd_staff, ufd_department, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    text = (
        "示例学院2025年统战工作要点\n一、加强思想引领\n1.开展学习。组织学习。（牵头部门：统战办；配合部门：党委统战部）\n"
        "2.召开座谈会。召开2次座谈会。（责任部门：党委统战部）\n"
    )
    client.force_login(ufd_staff)
    assert english(client).post(reverse("plans:import"), {"text": text}).status_code == 302
    record = PlanImport.objects.get()
    # the document's own words: title, section, item texts, the unknown name 统战办, the target
    data = [ORG, *DEPARTMENTS, "示例学院2025年统战工作要点", "一、", "加强思想引领", "开展学习", "组织学习", "统战办"]
    data += ["召开座谈会", "召开2次座谈会", "党委统战部", "示例学院", "年统战工作要点"]
    html = page(client, reverse("plans:import-review", args=[record.pk]), data)
    assert "Unrecognised department names (1)" in html
    assert "Confirm import" in html


@pytest.mark.django_db(transaction=True)
def test_failed_import_shows_the_parser_message_in_english(client, ufd_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old_doc = SimpleUploadedFile("旧文件.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    client.force_login(ufd_staff)
    english(client).post(reverse("plans:import"), {"file": old_doc})
    record = PlanImport.objects.get()
    html = page(client, reverse("plans:import-review", args=[record.pk]), [ORG])
    assert "This is an old Word (.doc) file" in html


@pytest.mark.django_db
def test_plan_pages_stay_chinese_by_default(client, ufd_staff, tracked):
    client.force_login(ufd_staff)
    html = client.get(reverse("plans:item-detail", args=[tracked["overdue"].pk])).content.decode()
    assert "完成时限" in html and "动态" in html and "未启动 → 推进中" in html
    html = client.get(reverse("plans:supervision")).content.decode()
    assert "待审核办结报告" in html
