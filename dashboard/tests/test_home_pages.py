"""Each role's home page: what it shows, computed by hand from the records each test builds, and
its query count with one and with many rows of everything."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Invitation, Registration
from events.tests.factories import EventFactory
from notifications.models import Notification
from orgs.tests.factories import DepartmentFactory
from people.models import ContactRecord, PartyMembership, PersonCategory, ProfileChangeRequest
from people.tests.factories import PersonFactory
from plans.models import Plan
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def tile(html: str, tile_id: str) -> str:
    """The number a home page tile shows."""
    match = re.search(rf'id="{tile_id}" href="([^"]*)"><strong>([^<]*)</strong>', html)
    assert match, f"tile {tile_id} missing"
    return match.group(2)


def tile_link(html: str, tile_id: str) -> str:
    return re.search(rf'id="{tile_id}" href="([^"]*)"', html).group(1).replace("&amp;", "&")


def section_html(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def this_month_at(hour: int, day: int = 1):
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today.replace(day=day), time(hour)))


# --- UFD staff --------------------------------------------------------------------------------


def build_staff_world(org, staff, department, *, n=1):
    """n of every kind of record the staff home counts (one of each "not counted" kind too)."""
    today = timezone.localdate()
    now = timezone.now()
    plan = PlanFactory(organisation=org, title="本年度统战工作要点")
    section = SectionFactory(plan=plan, marker="一、", title="加强思想政治引领")
    for _ in range(n):
        ItemFactory(section=section, due_date=today - timedelta(days=1), progress=20, lead_department=department)
        ItemFactory(section=section, due_date=today + timedelta(days=3), progress=40, started=True)
        ItemFactory(section=section, due_date=today + timedelta(days=60), progress=80, closing_requested_at=now)
        ItemFactory(section=section, due_date=today + timedelta(days=60), progress=100, accepted_at=now)
    draft = PlanFactory(organisation=org, status=Plan.Status.DRAFT, title="草稿要点")
    ItemFactory(section=SectionFactory(plan=draft), due_date=today - timedelta(days=5))
    submitter = PersonFactory(organisation=org)
    for _ in range(n):
        make_proposal(org, submitter, Status.SUBMITTED)
        make_proposal(org, submitter, Status.SUBMITTED)
        make_proposal(org, submitter, Status.ANSWER_REVIEW, lead=department)
        make_proposal(org, submitter, Status.ASSIGNED, lead=department, due_date=today - timedelta(days=1))
        make_proposal(org, submitter, Status.ASSIGNED, lead=department, due_date=today + timedelta(days=2))
    make_proposal(org, submitter, Status.DRAFT)
    for _ in range(n):
        person = PersonFactory(organisation=org)
        person.category_links.create(category="non_party")
        ProfileChangeRequest.objects.create(person=person, changes={"job_title": ["", "教授"]})
        ProfileChangeRequest.objects.create(
            person=person, changes={"job_title": ["", "副教授"]}, status=ProfileChangeRequest.Status.APPROVED
        )
        for recorder, closed in ((staff, None), (staff, None), (None, None), (staff, now)):
            ContactRecord.objects.create(
                person=person,
                date=today,
                recorded_by=recorder,
                met_by="王同心",
                method="talk",
                follow_up_needed=True,
                follow_up="协调实验室用房",
                closed_at=closed,
            )
        EventFactory(organisation=org, title="本月座谈会", starts_at=this_month_at(10), ends_at=this_month_at(12))
        EventFactory(
            organisation=org,
            title="已取消的学习会",
            starts_at=this_month_at(14),
            ends_at=this_month_at(16),
            status=Event.Status.CANCELLED,
        )
        EventFactory(organisation=org, title="下月调研", starts_at=now + timedelta(days=40))
    return plan


def test_staff_home_shows_what_needs_doing(client, org, ufd_staff, ufd_department):
    plan = build_staff_world(org, ufd_staff, ufd_department)
    client.force_login(ufd_staff)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    # 4 items of the published plan: one closing report waiting, one overdue, one due in 3 days;
    # the draft plan's overdue item does not count.
    assert tile(html, "tile-closing") == "1"
    assert tile(html, "tile-items-overdue") == "1"
    assert tile(html, "tile-items-due-soon") == "1"
    assert tile(html, "tile-submitted") == "2"
    assert tile(html, "tile-answer-review") == "1"
    assert tile(html, "tile-proposals-overdue") == "1"
    assert tile(html, "tile-proposals-due-soon") == "1"
    assert tile(html, "tile-changes") == "1"
    assert tile_link(html, "tile-closing") == "/plans/supervision/#closing"
    assert tile_link(html, "tile-submitted") == "/proposals/?status=submitted"
    assert tile_link(html, "tile-answer-review") == "/proposals/?status=answer_review"
    assert tile_link(html, "tile-changes") == "/people/changes/"
    # Follow-ups: two open ones of mine, three open in all (one closed).
    follow_ups = section_html(html, "follow-ups")
    assert "我的待跟进事项（2）" in follow_ups
    assert "全部待跟进 3 项" in follow_ups
    assert follow_ups.count("填写结果") == 2
    month = section_html(html, "month-events")
    assert "本月活动（1）" in month
    assert "本月座谈会" in month
    assert "已取消的学习会" not in month and "下月调研" not in month
    # Progress: (20 + 40 + 80 + 100) / 4 = 60; done 1 of 4; lights: done and 60 days away are
    # green, 3 days away yellow, overdue red.
    progress = section_html(html, "plan-progress")
    assert f"{plan.year}年工作要点进展" in progress
    assert "共 4 项任务，已完成 1 项" in progress
    assert "绿灯 2" in progress and "黄灯 1" in progress and "红灯 1" in progress
    assert '<progress max="100" value="60">' in progress
    assert "一、加强思想政治引领" in progress
    assert '<div class="charts">' in html  # where the year-end charts go


def test_staff_home_without_a_plan_says_so(client, ufd_staff):
    client.force_login(ufd_staff)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "还没有发布的工作要点。" in section_html(html, "plan-progress")
    assert tile(html, "tile-closing") == "0"


def test_staff_home_shows_the_latest_plan_when_this_year_has_none(client, org, ufd_staff):
    last_year = timezone.localdate().year - 1
    PlanFactory(organisation=org, year=last_year)
    client.force_login(ufd_staff)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert f"{last_year}年工作要点进展" in html


@pytest.mark.parametrize("n", [1, 15])
def test_staff_home_query_count_is_bounded(client, org, ufd_staff, ufd_department, n, django_assert_max_num_queries):
    build_staff_world(org, ufd_staff, ufd_department, n=n)
    client.force_login(ufd_staff)
    # + the year's charts (reports.charts.home_charts, 6 with the events' cache version); + 1: the plan
    # overview reads sections and departments once each instead of joining them to every item (issue 16).
    with django_assert_max_num_queries(29 + 6 + 1):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert tile(response.content.decode(), "tile-submitted") == str(2 * n)


# --- Liaison -----------------------------------------------------------------------------------


def build_liaison_world(org, department, other, *, n=1):
    today = timezone.localdate()
    first = PlanFactory(organisation=org, title="年度统战工作要点")
    second = PlanFactory(organisation=org, title="统战工作补充要点")
    for _ in range(n):
        ItemFactory(
            section=SectionFactory(plan=first),
            title="学生党外骨干培训",
            lead_department=department,
            due_date=today - timedelta(days=2),
        )
        support = ItemFactory(
            section=SectionFactory(plan=second),
            title="民族团结进校园",
            lead_department=other,
            due_date=today + timedelta(days=5),
        )
        support.support_departments.add(department)
        ItemFactory(
            section=SectionFactory(plan=first),
            title="已销号的任务",
            lead_department=department,
            accepted_at=timezone.now(),
        )
        ItemFactory(section=SectionFactory(plan=first), title="别的部门的任务", lead_department=other)
    submitter = PersonFactory(organisation=org)
    for _ in range(n):
        make_proposal(
            org, submitter, Status.ASSIGNED, lead=department, title="宿舍热水建议", due_date=today + timedelta(days=1)
        )
        make_proposal(org, submitter, Status.ASSIGNED, lead=other, support=[department], title="图书馆延时建议")
        make_proposal(org, submitter, Status.ASSIGNED, lead=other, title="别的部门的建议")
        make_proposal(org, submitter, Status.ANSWER_REVIEW, lead=department, title="答复审核中的建议")


def test_liaison_home_lists_my_departments_work(client, org, liaison, student_department):
    other = DepartmentFactory(organisation=org, name="教务处")
    build_liaison_world(org, student_department, other)
    client.force_login(liaison)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我联络的部门：学生工作处" in html
    # Three items of mine (lead, support, accepted lead); two open; one overdue, one due in 5 days.
    assert tile(html, "tile-items") == "3"
    assert tile(html, "tile-items-overdue") == "1"
    assert tile(html, "tile-items-due-soon") == "1"
    items = section_html(html, "department-items")
    assert "待完成的任务（2）" in items
    assert "共 3 项（牵头 2 项），已销号 1 项" in items
    assert "学生党外骨干培训" in items and "民族团结进校园" in items
    assert "别的部门的任务" not in items and "已销号的任务" not in items
    # Two plans of the year: each item names its plan.
    year = timezone.localdate().year
    assert f"{year} · 年度统战工作要点" in items
    assert f"{year} · 统战工作补充要点" in items
    assert "配合（教务处牵头）" in items
    # Suggestions being handled by my departments (lead or support); one due tomorrow.
    assert tile(html, "tile-proposals") == "2"
    assert tile(html, "tile-proposals-due") == "0/1"
    proposals = section_html(html, "department-proposals")
    assert "宿舍热水建议" in proposals and "图书馆延时建议" in proposals
    assert "别的部门的建议" not in proposals
    assert "另有 1 件答复等待统战部审核。" in proposals


def test_liaison_home_with_one_plan_does_not_repeat_its_title(client, org, liaison, student_department):
    ItemFactory(
        section=SectionFactory(plan=PlanFactory(organisation=org, title="唯一的要点")),
        lead_department=student_department,
    )
    client.force_login(liaison)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "plan-of-item" not in html


@pytest.mark.parametrize("n", [1, 15])
def test_liaison_home_query_count_is_bounded(
    client, org, liaison, student_department, n, django_assert_max_num_queries
):
    build_liaison_world(org, student_department, DepartmentFactory(organisation=org), n=n)
    client.force_login(liaison)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("dashboard:home"))
    assert tile(response.content.decode(), "tile-items") == str(3 * n)


# --- Member ------------------------------------------------------------------------------------


def build_member_world(org, person, *, n=1):
    now = timezone.now()
    other = PersonFactory(organisation=org)
    for i in range(n):
        pending = EventFactory(organisation=org, title=f"新春座谈会{i}", starts_at=now + timedelta(days=3 + i))
        Invitation.objects.create(event=pending, person=person)
        registered = EventFactory(organisation=org, title=f"已报名的学习会{i}", starts_at=now + timedelta(days=2))
        Invitation.objects.create(event=registered, person=person)
        Registration.objects.create(event=registered, person=person, status=Registration.Status.REGISTERED)
        past = EventFactory(
            organisation=org,
            title=f"已结束的活动{i}",
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=3),
        )
        Invitation.objects.create(event=past, person=person)
        EventFactory(organisation=org, title=f"没有邀请我的活动{i}")
        make_proposal(org, person, Status.SUBMITTED, title=f"我的建言{i}")
        make_proposal(org, other, Status.SUBMITTED, title=f"别人的建言{i}")
    for i in range(5 * n):
        Notification.objects.create(user=person.user, organisation=org, title=f"未读通知{i}")
    Notification.objects.create(user=person.user, organisation=org, title="已读通知", read_at=now)


def test_member_home_shows_invitations_events_suggestions_and_notices(client, org, member):
    person = member.person
    build_member_world(org, person)
    client.force_login(member)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="tabbar"' in html
    invitations = section_html(html, "invitations")
    assert "新春座谈会0" in invitations
    assert "已报名的学习会0" not in invitations and "已结束的活动0" not in invitations
    pending = Event.objects.get(title="新春座谈会0")
    assert f'action="/events/m/{pending.pk}/register/"' in invitations
    assert "报名参加" in invitations
    upcoming = section_html(html, "upcoming")
    assert "已报名的学习会0" in upcoming and "已报名" in upcoming
    assert "没有邀请我的活动0" not in html
    suggestions = section_html(html, "suggestions")
    assert "我的建言0" in suggestions and "待审核" in suggestions
    assert "别人的建言0" not in html
    unread = section_html(html, "unread")
    assert "未读通知 <small>5</small>" in unread
    assert unread.count('class="notice-link"') == 3
    assert "已读通知" not in unread
    # The register button posts to the events registration view, which registers the member.
    response = client.post(f"/events/m/{pending.pk}/register/")
    assert response.status_code == 302
    assert Registration.objects.get(event=pending, person=person).status == Registration.Status.REGISTERED
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "新春座谈会0" not in section_html(html, "invitations")
    assert "新春座谈会0" in section_html(html, "upcoming")


def test_member_home_without_a_profile_says_whom_to_ask(client, org):
    from conftest import make_user
    from orgs.models import Role

    user = make_user(org, Role.MEMBER, "noprofile")
    client.force_login(user)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "尚未关联统战对象档案" in html
    assert 'id="invitations"' not in html


@pytest.mark.parametrize("n", [1, 12])
def test_member_home_query_count_is_bounded(client, org, member, n, django_assert_max_num_queries):
    build_member_world(org, member.person, n=n)
    client.force_login(member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert section_html(html, "invitations").count("报名参加") == min(n, 5)


# --- Leader ------------------------------------------------------------------------------------


def build_leader_world(org, department, *, n=1):
    today = timezone.localdate()
    plan = PlanFactory(organisation=org)
    first = SectionFactory(plan=plan, marker="一、", title="思想引领")
    second = SectionFactory(plan=plan, marker="二、", title="队伍建设")
    other = DepartmentFactory(organisation=org, name="组织部")
    for _ in range(n):
        ItemFactory(section=first, lead_department=department, progress=100, accepted_at=timezone.now())
        ItemFactory(section=first, lead_department=department, progress=50, due_date=today + timedelta(days=100))
        ItemFactory(section=second, lead_department=other, progress=30, due_date=today - timedelta(days=1))
    submitter = PersonFactory(organisation=org)
    for _ in range(n):
        held = this_month_at(9)
        for _ in range(2):
            EventFactory(organisation=org, starts_at=held, ends_at=held + timedelta(hours=1), held_at=held)
        EventFactory(organisation=org, starts_at=held, ends_at=held + timedelta(hours=1))
        EventFactory(organisation=org, starts_at=held, ends_at=held, status=Event.Status.CANCELLED)
        make_proposal(org, submitter, Status.SUBMITTED)
        make_proposal(org, submitter, Status.ANSWERED, lead=department)
        make_proposal(org, submitter, Status.CLOSED, lead=department)
        make_proposal(org, submitter, Status.DRAFT)
        make_proposal(org, submitter, Status.WITHDRAWN)
        for category in ("non_party", "non_party", "returned_scholar"):
            PersonCategory.objects.create(person=PersonFactory(organisation=org), category=category)
    PartyMembership.objects.create(person=submitter, party="minmeng")
    return plan


def test_leader_home_shows_progress_lights_events_proposals_and_registry(client, org, leader, ufd_department):
    plan = build_leader_world(org, ufd_department)
    client.force_login(leader)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    # (100 + 50 + 30) / 3 = 60; one red (overdue).
    assert tile(html, "tile-progress") == "60%"
    assert tile_link(html, "tile-progress") == f"/plans/{plan.pk}/"
    assert tile(html, "tile-red") == "1"
    progress = section_html(html, "plan-progress")
    sections = re.findall(
        r"<tr><td><a [^>]*>([^<]*)</a></td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", progress
    )
    assert sections == [("一、思想引领", "2", "1"), ("二、队伍建设", "1", "0")]
    departments = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", progress)
    assert departments == [("党委统战部", "2", "1"), ("组织部", "1", "0")]
    assert "绿灯 2" in progress and "黄灯 0" in progress and "红灯 1" in progress
    # Events this year: 3 not cancelled, 2 held.
    assert tile(html, "tile-events") == "2"
    assert "共安排 3 场" in html
    assert tile_link(html, "tile-events") == f"/events/?status=held&year={timezone.localdate().year}"
    held = Event.objects.filter(held_at__isnull=False).order_by("-starts_at", "-id")
    recent = section_html(html, "leader-events")
    assert re.findall(r'<a href="/events/(\d+)/">', recent) == [str(e.pk) for e in held]
    # Suggestions: received 3 (not the draft, not the withdrawn one), answered 2.
    assert tile(html, "tile-proposals") == "2/3"
    # Registry: 3 people (+1 submitter without category), 2 无党派人士, 1 留学回国人员.
    registry = section_html(html, "registry")
    assert "共 4 人" in registry
    assert '<tr><td>无党派人士</td><td class="num">2</td></tr>' in registry
    assert '<tr><td>留学回国人员</td><td class="num">1</td></tr>' in registry
    # Read-only: no buttons or forms that change anything.
    assert "<form" not in html.split('<main class="content" id="main">')[1]


@pytest.mark.parametrize("n", [1, 15])
def test_leader_home_query_count_is_bounded(client, org, leader, ufd_department, n, django_assert_max_num_queries):
    build_leader_world(org, ufd_department, n=n)
    client.force_login(leader)
    # + the year's charts (reports.charts.home_charts, 6 with the events' cache version); + 1: the plan
    # overview's sections and departments.
    with django_assert_max_num_queries(21 + 6 + 1):
        response = client.get(reverse("dashboard:home"))
    assert tile(response.content.decode(), "tile-red") == str(n)


# --- Leaders read events -----------------------------------------------------------------------


def test_leader_reads_events_without_any_button(client, org, leader, member):
    event = EventFactory(organisation=org, title="党外人士座谈会", public_signup=True)
    Registration.objects.create(event=event, person=member.person, status=Registration.Status.REGISTERED)
    client.force_login(leader)
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "党外人士座谈会" in html
    assert "新建活动" not in html and f"/events/{event.pk}/edit/" not in html and "签到</a>" not in html
    response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "党外人士座谈会" in html and "张建言" in html
    for action in (
        "编辑",
        "补发邀请",
        "签到管理",
        "确认已举办",
        "取消活动",
        "删除活动",
        "扫码签到",
        "公开报名链接",
        "签到表",
    ):
        assert action not in html, action
    assert member.person.phone not in html and member.person.email not in html
    assert "<form" not in html.split('<main class="content" id="main">')[1]
    # Writing stays refused.
    assert client.post(reverse("events:publish", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403


def test_staff_still_sees_event_buttons(client, org, ufd_staff):
    event = EventFactory(organisation=org, status=Event.Status.DRAFT)
    client.force_login(ufd_staff)
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "发布并邀请" in html and "删除活动" in html and "扫码签到" in html
    assert "新建活动" in client.get(reverse("events:list")).content.decode()
