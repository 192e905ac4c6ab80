"""Sanitising, publishing to an audience, read receipts judged by server time, quiz, points with
daily caps, reminders."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from people.models import Group, PersonCategory
from plans.tests.factories import TargetFactory
from study import services
from study.models import Assignment, PointEntry, StudyMaterial
from study.queries import member_completion, study_figures, yearly_points
from study.tests.factories import add_quiz, make_material

pytestmark = pytest.mark.django_db


def test_clean_html_keeps_formatting_and_local_images_only():
    dirty = (
        '<h2 onclick="x()">标题</h2><p style="color:red">正文<script>alert(1)</script></p>'
        '<img src="https://evil.example/track.png"><img src="//evil.example/a.png">'
        '<img src="/study/images/3/" alt="图"><a href="https://www.gov.cn/">链接</a><iframe src="x"></iframe>'
    )

    assert services.clean_html(dirty) == (
        "<h2>标题</h2><p>正文</p><img><img>"
        '<img src="/study/images/3/" alt="图"><a href="https://www.gov.cn/" rel="noopener noreferrer nofollow">链接</a>'
    )


def _data(**fields):
    return {
        "title": "学习统一战线工作条例",
        "kind": "article",
        "summary": "",
        "body": "<p>正文</p>",
        "link": "",
        "publish_at": timezone.now() - timedelta(minutes=1),
        "due_at": timezone.now() + timedelta(days=7),
        "required": True,
        "reflection": "optional",
        "pass_mark": 60,
    } | fields


def test_publish_assigns_the_audience_counts_the_target_and_notifies(org, ufd_staff, make_member):
    named = make_member("点名")
    in_category = make_member("类别")
    in_group = make_member("分组")
    make_member("不在内")
    PersonCategory.objects.create(person=in_category, category="returned_scholar")
    group = Group.objects.create(organisation=org, name="青年教师")
    group.members.add(in_group)
    target = TargetFactory(item__section__plan__organisation=org, text="线上学习推送", count=12)
    material = services.create_material(
        org,
        by=ufd_staff,
        data=_data(
            audience_people=[named],
            audience_categories=["returned_scholar"],
            audience_groups=[group],
            targets=[target],
        ),
    )

    count = services.publish_material(material, by=ufd_staff)

    assert count == 3
    assert set(Assignment.objects.values_list("person__name", flat=True)) == {"点名", "类别", "分组"}
    target.refresh_from_db()
    assert target.achieved == 1
    assert Notification.objects.filter(title="学习推送：学习统一战线工作条例").count() == 3
    with pytest.raises(services.NotAllowed):
        services.publish_material(material, by=ufd_staff)


def test_scheduled_material_is_announced_when_its_time_comes(org, ufd_staff, make_member):
    person = make_member()
    material = services.create_material(
        org,
        by=ufd_staff,
        data=_data(publish_at=timezone.now() + timedelta(hours=2), audience_people=[person]),
    )
    services.publish_material(material, by=ufd_staff)
    assert Notification.objects.count() == 0
    assert StudyMaterial.objects.visible().count() == 0

    assert services.announce_due(now=timezone.now() + timedelta(hours=3)) == 1
    assert services.announce_due(now=timezone.now() + timedelta(hours=4)) == 0
    assert Notification.objects.get().user == person.user


def test_read_counts_only_after_the_minimum_time_since_opening(org, make_member, settings):
    settings.STUDY_MIN_READ_SECONDS = 30
    settings.STUDY_MIN_FINISH_SECONDS = 10
    person = make_member()
    material = make_material(org, people=[person])
    assignment = Assignment.objects.get()
    opened = timezone.now()
    session = services.open_material(assignment, now=opened)

    # A heartbeat at 29 s does not count, nor does "end reached" at 5 s.
    assert services.record_reading(session, now=opened + timedelta(seconds=29)) == {"read": False, "wait": 1}
    assert services.record_reading(session, finished=True, now=opened + timedelta(seconds=5))["read"] is False
    assignment.refresh_from_db()
    assert assignment.read_at is None
    assert PointEntry.objects.count() == 0

    assert services.record_reading(session, now=opened + timedelta(seconds=30)) == {"read": True, "wait": 0}
    assignment.refresh_from_db()
    assert assignment.read_at == opened + timedelta(seconds=30)
    assert list(PointEntry.objects.values_list("kind", "points")) == [("read", 2)]
    assert material.assignments.filter(read_at__isnull=False).count() == 1


def test_reaching_the_end_counts_after_the_shorter_finishing_time(org, make_member, settings):
    settings.STUDY_MIN_READ_SECONDS = 30
    settings.STUDY_MIN_FINISH_SECONDS = 10
    make_material(org, people=[make_member()])
    opened = timezone.now()
    session = services.open_material(Assignment.objects.get(), now=opened)

    assert services.record_reading(session, finished=True, now=opened + timedelta(seconds=10))["read"] is True


def test_quiz_needs_the_read_then_scores_and_passes(org, make_member):
    person = make_member()
    material = make_material(org, people=[person], pass_mark=100)
    single, multiple = add_quiz(material)
    assignment = Assignment.objects.get()
    right_single = {single.choices.get(correct=True).pk}
    right_multiple = set(multiple.choices.filter(correct=True).values_list("pk", flat=True))
    one_of_multiple = {min(right_multiple)}

    with pytest.raises(services.NotAllowed):
        services.submit_quiz(assignment, answers={single.pk: right_single, multiple.pk: right_multiple})

    Assignment.objects.filter(pk=assignment.pk).update(read_at=timezone.now())
    # Half the choices of the multiple-choice question is wrong: 1 of 2 questions = 50.
    assert services.submit_quiz(assignment, answers={single.pk: right_single, multiple.pk: one_of_multiple}) == (
        50,
        False,
    )
    assert services.submit_quiz(assignment, answers={single.pk: right_single, multiple.pk: right_multiple}) == (
        100,
        True,
    )
    assignment.refresh_from_db()
    assert (assignment.quiz_score, assignment.quiz_attempts, assignment.quiz_passed_at is not None) == (100, 2, True)
    assert list(PointEntry.objects.values_list("kind", "points")) == [("quiz", 3)]


def test_points_respect_the_daily_cap_and_sum_by_year(org, make_member):
    person = make_member()
    now = timezone.now()
    materials = [make_material(org, people=[person], title=f"材料{n}") for n in range(6)]
    for material in materials:
        session = services.open_material(material.assignments.get(), now=now - timedelta(minutes=5))
        services.record_reading(session, now=now)

    # 2 points a read, at most 10 a day: five reads earn 10, the sixth 0.
    assert sorted(PointEntry.objects.values_list("points", flat=True)) == [0, 2, 2, 2, 2, 2]
    assert yearly_points(person, timezone.localdate().year) == 10


def test_reflection_points_once_and_none_when_not_asked(org, make_member):
    person = make_member()
    make_material(org, people=[person], reflection="required")
    assignment = Assignment.objects.get()
    services.submit_reflection(assignment, text="学习后深刻认识到统一战线的重要性。")
    services.submit_reflection(assignment, text="修改后的心得，认识更加深刻。")
    assert list(PointEntry.objects.values_list("kind", "points")) == [("reflection", 3)]

    make_material(org, people=[person], reflection="none", title="无需心得")
    with pytest.raises(services.NotAllowed):
        services.submit_reflection(Assignment.objects.get(material__title="无需心得"), text="不需要的心得内容")


def test_member_completion_and_ranking(org, make_member):
    first, second = make_member("第一"), make_member("第二")
    material = make_material(org, people=[first, second], reflection="required")
    add_quiz(material)
    now = timezone.now()
    for person in (first, second):
        session = services.open_material(material.assignments.get(person=person), now=now - timedelta(minutes=5))
        services.record_reading(session, now=now)
    Assignment.objects.filter(person=first).update(quiz_passed_at=now, reflection_at=now)

    rows = member_completion(org, timezone.localdate().year)

    assert [(r.person.name, r.assigned, r.read, r.complete, r.points) for r in rows] == [
        ("第一", 1, 1, 1, 2),
        ("第二", 1, 1, 0, 2),
    ]
    assert study_figures(org, timezone.localdate().year) == {"materials": 1, "reach": 2, "read": 2, "rate": 100}


def test_remind_unread_once_when_due_soon(org, make_member):
    reader, late = make_member("已读"), make_member("未读")
    make_material(org, people=[reader, late], due_at=timezone.now() + timedelta(hours=20))
    make_material(org, people=[late], due_at=timezone.now() + timedelta(days=10), title="不急")
    Assignment.objects.filter(person=reader).update(read_at=timezone.now())
    out = StringIO()

    call_command("remind_study", stdout=out)
    call_command("remind_study", stdout=StringIO())

    assert out.getvalue().strip() == "已发送学习提醒 1 条。"
    notice = Notification.objects.get()
    assert (notice.user, notice.title) == (late.user, "学习提醒：学习贯彻统一战线工作条例")


def test_delete_material_withdraws_the_target_and_audits(org, ufd_staff, make_member):
    target = TargetFactory(item__section__plan__organisation=org, count=4)
    material = services.create_material(
        org, by=ufd_staff, data=_data(audience_people=[make_member()], targets=[target])
    )
    services.publish_material(material, by=ufd_staff)

    services.delete_material(material, by=ufd_staff)

    target.refresh_from_db()
    assert target.achieved == 0
    assert AuditEvent.objects.filter(action="delete", object_type="study.studymaterial").count() == 1
