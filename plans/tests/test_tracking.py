from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from plans import services
from plans.models import Evidence, Item, ItemEvent, Milestone, ProgressReport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name="现场.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_lead_liaison_reports_with_a_photo_and_the_item_starts(client, liaison, item, media):
    assert item.status == Item.Status.NOT_STARTED
    client.force_login(liaison)
    response = client.post(reverse("plans:item-report", args=[item.pk]), {"text": "已召开筹备会", "files": [photo()]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.IN_PROGRESS
    report = ProgressReport.objects.get(item=item)
    assert (report.text, report.department.name, report.author) == ("已召开筹备会", "学生工作处", liaison)
    evidence = Evidence.objects.get(report=report)
    assert (evidence.original_name, evidence.kind) == ("现场.png", "图片")
    assert list(ItemEvent.objects.filter(item=item).values_list("kind", flat=True)) == ["status", "report"]
    assert client.get(reverse("plans:evidence", args=[evidence.pk])).status_code == 200


@pytest.mark.django_db
def test_evidence_that_lies_about_its_type_is_refused(client, liaison, item, media):
    client.force_login(liaison)
    response = client.post(
        reverse("plans:item-report", args=[item.pk]),
        {"text": "见附件", "files": [photo("照片.jpg", b"MZ\x90\x00 not an image")]},
    )
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    assert ProgressReport.objects.count() == 0
    assert not (media / "evidence").exists()


@pytest.mark.django_db
def test_liaison_of_another_department_cannot_report(client, org, item, other_personas):
    from conftest import make_user
    from orgs.tests.factories import DepartmentFactory

    stranger = make_user(org, "liaison", "finance", [DepartmentFactory(organisation=org, name="财务处")])
    client.force_login(stranger)
    response = client.post(reverse("plans:item-report", args=[item.pk]), {"text": "越权"})
    assert response.status_code == 403
    assert client.get(reverse("plans:item-detail", args=[item.pk])).status_code == 200  # may read, not report
    client.force_login(other_personas["liaison"])
    assert client.get(reverse("plans:detail", args=[item.plan_id])).status_code == 404
    assert client.post(reverse("plans:item-report", args=[item.pk]), {"text": "x"}).status_code == 404
    assert ProgressReport.objects.count() == 0


@pytest.mark.django_db
def test_support_liaison_reports_but_cannot_close(client, ufd_liaison, item):
    with pytest.raises(services.NotAllowed):
        services.post_report(item, by=ufd_liaison, text="配合完成", closing=True)
    client.force_login(ufd_liaison)
    client.post(reverse("plans:item-report", args=[item.pk]), {"text": "配合完成", "closing": "on"})
    item.refresh_from_db()
    assert item.closing_requested_at is None
    assert ProgressReport.objects.get().kind == ProgressReport.Kind.PROGRESS


@pytest.mark.django_db
def test_closing_report_accepted_by_staff_marks_done(client, liaison, ufd_staff, item):
    client.force_login(liaison)
    client.post(reverse("plans:item-report", args=[item.pk]), {"text": "全部完成", "closing": "on"})
    item.refresh_from_db()
    assert item.is_closing_pending
    client.force_login(ufd_staff)
    client.post(reverse("plans:item-accept", args=[item.pk]), {"note": "同意"})
    item.refresh_from_db()
    assert (item.status, item.progress, item.light) == (Item.Status.DONE, 100, Item.Light.GREEN)
    assert Notification.objects.filter(user=liaison, title__startswith="任务已销号").count() == 1


@pytest.mark.django_db
def test_staff_return_closing_with_reason(client, liaison, ufd_staff, item):
    services.post_report(item, by=liaison, text="完成", closing=True)
    client.force_login(ufd_staff)
    assert client.post(reverse("plans:item-return", args=[item.pk]), {"reason": ""}).status_code == 302
    item.refresh_from_db()
    assert item.is_closing_pending  # no reason, nothing changed
    client.post(reverse("plans:item-return", args=[item.pk]), {"reason": "缺少佐证材料"})
    item.refresh_from_db()
    assert not item.is_closing_pending
    assert ItemEvent.objects.filter(item=item, kind="returned").get().note == "缺少佐证材料"
    assert Notification.objects.get(user=liaison).body == "缺少佐证材料"


@pytest.mark.django_db
def test_urge_notifies_lead_and_support_liaisons_and_is_logged(client, ufd_staff, liaison, ufd_liaison, item):
    client.force_login(ufd_staff)
    client.post(reverse("plans:item-urge", args=[item.pk]), {"note": "请本周内报送"})
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"liaison", "ufd-liaison"}
    assert ItemEvent.objects.get(item=item, kind="urged").note == "请本周内报送"
    assert AuditEvent.objects.filter(action="update", object_type="plans.item", user=ufd_staff).count() == 1


@pytest.mark.django_db
def test_traffic_light_goes_yellow_then_red_as_the_due_date_nears(item):
    today = timezone.localdate()
    item.due_date = today + timedelta(days=20)
    assert (item.light_on(today), item.status_on(today)) == ("green", "not_started")
    assert item.light_on(today + timedelta(days=13)) == "yellow"
    assert (item.light_on(today + timedelta(days=21)), item.status_on(today + timedelta(days=21))) == ("red", "overdue")


@pytest.mark.django_db
def test_milestone_due_within_3_days_turns_yellow_and_overdue_red(item):
    today = timezone.localdate()
    item.due_date = today + timedelta(days=100)
    Milestone.objects.create(item=item, title="一季度", due_date=today + timedelta(days=10))
    item = Item.objects.prefetch_related("milestones").get(pk=item.pk)
    item.due_date = today + timedelta(days=100)
    assert item.light_on(today) == "green"
    assert item.light_on(today + timedelta(days=8)) == "yellow"
    assert item.light_on(today + timedelta(days=11)) == "red"


@pytest.mark.django_db
def test_achievements_count_towards_targets_and_can_be_withdrawn(item, ufd_staff, person):
    target = TargetFactory(item=item, count=2)
    services.record_achievement(target, source=person, by=ufd_staff, label="座谈会一")
    services.record_achievement(target, source=person, by=ufd_staff)  # the same source counts once
    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, item.progress, item.status) == (1, 50, Item.Status.IN_PROGRESS)
    services.withdraw_achievement(target, source=person, by=ufd_staff)
    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, item.progress) == (0, 0)


@pytest.mark.django_db
def test_concurrent_item_edits_are_refused(client, ufd_staff, item, student_department):
    client.force_login(ufd_staff)
    data = {
        "title": "改一",
        "lead_department": student_department.pk,
        "due_date": item.due_date.isoformat(),
        "version": 1,
    }
    assert client.post(reverse("plans:item-edit", args=[item.pk]), data).status_code == 302
    second = client.post(reverse("plans:item-edit", args=[item.pk]), data | {"title": "改二"})
    assert second.status_code == 409
    assert "此任务已被他人修改" in second.content.decode()
    item.refresh_from_db()
    assert (item.title, item.version) == ("改一", 2)


@pytest.mark.django_db
def test_draft_plans_are_hidden_from_liaisons_and_leaders(client, liaison, leader, org):
    draft = PlanFactory(organisation=org, status="draft")
    for user in (liaison, leader):
        client.force_login(user)
        assert client.get(reverse("plans:detail", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_my_department_lists_lead_and_support(client, liaison, org, student_department, ufd_department):
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    led = ItemFactory(plan=plan, section=section, lead_department=student_department, title="牵头的")
    helped = ItemFactory(plan=plan, section=section, lead_department=ufd_department, title="配合的")
    helped.support_departments.add(student_department)
    ItemFactory(plan=plan, section=section, lead_department=ufd_department, title="无关的")
    client.force_login(liaison)
    context = client.get(reverse("plans:my-department")).context
    assert ([i.title for i in context["lead"]], [i.title for i in context["support"]]) == (["牵头的"], ["配合的"])
    assert led.pk != helped.pk


@pytest.mark.django_db
def test_supervision_board_lists_overdue_due_soon_and_quiet(client, ufd_staff, org, student_department):
    today = timezone.localdate()
    plan = PlanFactory(organisation=org)
    section = SectionFactory(plan=plan)
    ItemFactory(plan=plan, section=section, title="逾期", due_date=today - timedelta(days=1))
    ItemFactory(plan=plan, section=section, title="快到期", due_date=today + timedelta(days=3))
    fresh = ItemFactory(plan=plan, section=section, title="刚报送", due_date=today + timedelta(days=60))
    Item.objects.filter(pk=fresh.pk).update(last_report_at=timezone.now())
    client.force_login(ufd_staff)
    boards = {
        b["key"]: [i.title for i in b["items"]] for b in client.get(reverse("plans:supervision")).context["boards"]
    }
    assert boards == {"overdue": ["逾期"], "due_soon": ["快到期"], "quiet": ["逾期", "快到期"], "closing": []}


def _big_plan(org, departments, items: int):
    plan = PlanFactory(organisation=org)
    sections = [SectionFactory(plan=plan, order=i) for i in range(4)]
    today = timezone.localdate()
    rows = [
        Item(
            plan=plan,
            section=sections[i % 4],
            number=i + 1,
            title=f"任务{i}",
            order=i,
            lead_department=departments[i % 2],
            due_date=today + timedelta(days=(i % 40) - 5),
        )
        for i in range(items)
    ]
    Item.objects.bulk_create(rows)
    from plans.models import ItemSupport, Target

    created = list(Item.objects.filter(plan=plan))
    ItemSupport.objects.bulk_create([ItemSupport(item=it, department=departments[1]) for it in created[::3]])
    Target.objects.bulk_create([Target(item=it, text="召开1次座谈会", count=1) for it in created[::5]])
    return plan


@pytest.mark.django_db
@pytest.mark.parametrize("items", [16, 2000])
def test_plan_pages_run_bounded_queries(
    client, org, ufd_staff, liaison, ufd_department, student_department, items, django_assert_max_num_queries
):
    plan = _big_plan(org, [ufd_department, student_department], items)
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(reverse("plans:supervision")).status_code == 200
    client.force_login(liaison)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("plans:my-department"))
    assert len(response.context["lead"]) + len(response.context["support"]) == items // 2 + len(
        [i for i in range(0, items, 3) if i % 2 == 0]
    )


@pytest.mark.django_db
def test_lead_liaison_marks_a_milestone_done_and_the_light_clears(client, liaison, ufd_liaison, item):
    today = timezone.localdate()
    Item.objects.filter(pk=item.pk).update(due_date=today + timedelta(days=90))
    milestone = Milestone.objects.create(item=item, title="一季度", due_date=today - timedelta(days=1))
    assert Item.objects.get(pk=item.pk).light == "red"
    client.force_login(ufd_liaison)  # a support department may not
    url = reverse("plans:milestone-done", args=[item.pk, milestone.pk])
    assert client.post(url).status_code == 403
    client.force_login(liaison)
    assert client.post(url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    assert Item.objects.get(pk=item.pk).light == "green"
    assert ItemEvent.objects.filter(item=item, note="节点“一季度”已完成").exists()
