from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from events import services
from events.models import Event, Invitation, Registration
from events.tests.conftest import invite, past_event
from events.tests.factories import EventFactory
from notifications.models import Notification
from people.models import PersonCategory

pytestmark = pytest.mark.django_db


# --- Invitations and audience ---------------------------------------------------------------------


def test_publish_invites_categories_groups_and_named_people(org, ufd_staff, make_member):
    from people.models import Group

    by_category, in_group, named, outsider = (make_member(n) for n in ["甲", "乙", "丙", "丁"])
    PersonCategory.objects.create(person=by_category, category="returned_scholar")
    group = Group.objects.create(organisation=org, name="民盟支部")
    group.members.add(in_group)
    event = services.create_event(
        org,
        by=ufd_staff,
        data={
            "title": "留学归国人员座谈会",
            "type": "symposium",
            "starts_at": timezone.now() + timedelta(days=3),
            "ends_at": timezone.now() + timedelta(days=3, hours=2),
            "audience_categories": ["returned_scholar"],
            "audience_groups": [group],
            "audience_people": [named],
        },
    )
    assert event.status == Event.Status.DRAFT

    invited = services.publish_event(event, by=ufd_staff)

    assert invited == 3
    assert set(Invitation.objects.filter(event=event).values_list("person__name", flat=True)) == {"甲", "乙", "丙"}
    assert Notification.objects.filter(user=by_category.user, title="活动邀请：留学归国人员座谈会").count() == 1
    assert not Notification.objects.filter(user=outsider.user).exists()
    # A second round invites only people added since.
    event.audience_people.add(outsider)
    assert services.send_invitations(event, by=ufd_staff) == 1
    assert Notification.objects.filter(title="活动邀请：留学归国人员座谈会").count() == 4


def test_publish_twice_is_refused(org, ufd_staff, event):
    with pytest.raises(services.NotAllowed):
        services.publish_event(event, by=ufd_staff)


# --- Registration, waiting list, promotion ----------------------------------------------------


def test_register_until_full_then_waiting_list_in_order(org, make_member):
    event = EventFactory(organisation=org, capacity=2)
    people = [make_member() for _ in range(4)]
    invite(event, *people)

    statuses = [services.register(event, person=p, by=p.user).status for p in people]

    assert statuses == ["registered", "registered", "waiting", "waiting"]
    assert [r.person for r in event.registrations.waiting()] == people[2:]


def test_cancelling_promotes_the_first_waiting_and_tells_them(org, make_member):
    event = EventFactory(organisation=org, capacity=1)
    first, second, third = make_member("一"), make_member("二"), make_member("三")
    invite(event, first, second, third)
    registration = services.register(event, person=first, by=first.user)
    services.register(event, person=second, by=second.user)
    services.register(event, person=third, by=third.user)

    promoted = services.cancel_registration(registration, by=first.user)

    assert [r.person for r in promoted] == [second]
    assert Registration.objects.get(event=event, person=second).status == "registered"
    assert Registration.objects.get(event=event, person=third).status == "waiting"
    assert Registration.objects.get(event=event, person=first).status == "cancelled"
    note = Notification.objects.get(user=second.user, title="您已由候补转为正式报名")
    assert note.url == f"/events/m/{event.pk}/"
    assert not Notification.objects.filter(user=third.user, title="您已由候补转为正式报名").exists()


def test_cancelling_a_waiting_place_promotes_nobody(org, make_member):
    event = EventFactory(organisation=org, capacity=1)
    first, second = make_member(), make_member()
    invite(event, first, second)
    services.register(event, person=first, by=None)
    waiting = services.register(event, person=second, by=None)
    assert services.cancel_registration(waiting, by=None) == []
    assert Registration.objects.get(pk=waiting.pk).status == "cancelled"


def test_no_cancellation_or_promotion_after_the_start(org, make_member):
    event = EventFactory(organisation=org, capacity=1)
    first, second = make_member(), make_member()
    invite(event, first, second)
    registration = services.register(event, person=first, by=None)
    services.register(event, person=second, by=None)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(services.NotAllowed, match="活动已开始"):
        services.cancel_registration(registration, by=None)
    assert Registration.objects.get(event=event, person=second).status == "waiting"


def test_raising_the_capacity_promotes_the_waiting_list(org, ufd_staff, make_member):
    event = EventFactory(organisation=org, capacity=1)
    people = [make_member() for _ in range(3)]
    invite(event, *people)
    for p in people:
        services.register(event, person=p, by=None)

    services.update_event(event, by=ufd_staff, data={"capacity": 3}, version=event.version)

    assert event.registrations.active().count() == 3
    assert Notification.objects.filter(title="您已由候补转为正式报名").count() == 2


def test_re_registering_after_cancelling_goes_to_the_back(org, make_member):
    event = EventFactory(organisation=org, capacity=1)
    first, second = make_member(), make_member()
    invite(event, first, second)
    registration = services.register(event, person=first, by=None)
    services.cancel_registration(registration, by=None)
    services.register(event, person=second, by=None)

    again = services.register(event, person=first, by=None)

    assert again.pk == registration.pk
    assert again.status == "waiting"


# --- Bad input: refused clearly ---------------------------------------------------------------


def test_registering_twice_is_refused(event, member):
    services.register(event, person=member.person, by=member)
    with pytest.raises(services.RegistrationRefused, match="无需重复报名"):
        services.register(event, person=member.person, by=member)
    assert event.registrations.count() == 1


def test_registering_after_the_window_is_refused(event, member):
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    event.refresh_from_db()
    with pytest.raises(services.RegistrationRefused, match="报名已截止"):
        services.register(event, person=member.person, by=member)
    assert not event.registrations.exists()


def test_registering_before_the_window_is_refused(event, member):
    Event.objects.filter(pk=event.pk).update(registration_opens_at=timezone.now() + timedelta(hours=1))
    event.refresh_from_db()
    with pytest.raises(services.RegistrationRefused, match="报名尚未开始"):
        services.register(event, person=member.person, by=member)


def test_registering_after_the_start_is_refused(event, member):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.RegistrationRefused, match="活动已开始"):
        services.register(event, person=member.person, by=member)


def test_registering_for_another_organisations_event_is_refused(other_org, member):
    foreign = EventFactory(organisation=other_org)
    with pytest.raises(services.RegistrationRefused, match="其他单位"):
        services.register(foreign, person=member.person, by=member)
    assert not foreign.registrations.exists()


def test_registering_uninvited_or_for_a_draft_is_refused(org, member, make_member):
    event = EventFactory(organisation=org)
    with pytest.raises(services.RegistrationRefused, match="邀请范围"):
        services.register(event, person=member.person, by=member)
    draft = EventFactory(organisation=org, status=Event.Status.DRAFT)
    invite(draft, member.person)
    with pytest.raises(services.RegistrationRefused, match="尚未发布"):
        services.register(draft, person=member.person, by=member)


def test_decline_then_register_is_allowed(event, member):
    assert services.decline(event, person=member.person, by=member).status == "declined"
    assert services.register(event, person=member.person, by=member).status == "registered"


# --- External participants --------------------------------------------------------------------


def test_external_sign_up_takes_a_place_and_respects_capacity(org, make_member):
    event = EventFactory(organisation=org, capacity=2, public_signup=True)
    services.register_external(event, name="王来宾", unit="市委统战部")
    with pytest.raises(services.RegistrationRefused, match="无需重复"):
        services.register_external(event, name="王来宾", unit="市委统战部")
    services.register_external(event, name="李来宾", unit="兄弟院校")
    with pytest.raises(services.RegistrationRefused, match="名额已满"):
        services.register_external(event, name="赵来宾", unit="兄弟院校")
    person = make_member()
    invite(event, person)
    assert services.register(event, person=person, by=None).status == "waiting"


def test_external_sign_up_needs_the_link_switched_on(org):
    event = EventFactory(organisation=org, public_signup=False)
    with pytest.raises(services.RegistrationRefused):
        services.register_external(event, name="王来宾", unit="市委统战部")


# --- Check-in ----------------------------------------------------------------------------------


def test_qr_check_in_of_a_registered_member(org, event, member):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(minutes=30))
    services.register(event, person=member.person, by=member)

    registration, message = services.check_in_by_qr(event, person=member.person, by=member)

    assert message == "签到成功。"
    assert registration.checked_in_at is not None
    again, message = services.check_in_by_qr(event, person=member.person, by=member)
    assert message == "您已签到，无需重复签到。"
    assert again.checked_in_at == registration.checked_in_at


def test_qr_walk_in_is_registered_when_a_place_is_free(org, make_member):
    start = timezone.now() + timedelta(minutes=10)
    event = EventFactory(organisation=org, capacity=1, starts_at=start, ends_at=start + timedelta(hours=1))
    walk_in, late = make_member(), make_member()
    invite(event, walk_in, late)

    registration, message = services.check_in_by_qr(event, person=walk_in, by=walk_in.user)

    assert message == "已现场报名并签到成功。"
    assert registration.status == "registered"
    with pytest.raises(services.NotAllowed, match="名额已满"):
        services.check_in_by_qr(event, person=late, by=late.user)


def test_qr_check_in_outside_the_time_is_refused(event, member):
    services.register(event, person=member.person, by=member)
    with pytest.raises(services.NotAllowed, match="不在签到时间"):
        services.check_in_by_qr(event, person=member.person, by=member)
    assert event.registrations.get().checked_in_at is None


def test_staff_check_in_and_undo(event, member, ufd_staff):
    registration = services.register(event, person=member.person, by=member)
    services.check_in(registration, by=ufd_staff)
    registration.refresh_from_db()
    assert registration.checked_in_by == ufd_staff
    services.undo_check_in(registration, by=ufd_staff)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- Held events feed the plan ---------------------------------------------------------------


def _held(org, ufd_staff, targets, members=()):
    event = past_event(org, minutes="会议纪要：与会人员围绕学校发展建言献策。")
    event.targets.set(targets)
    for person in members:
        Registration.objects.create(event=event, person=person, status="registered")
    return services.mark_held(event, by=ufd_staff)


def test_mark_held_counts_towards_seed_item_4(org, ufd_staff, seed_plan):
    item = seed_plan[4]
    target = item.targets.get()

    event = _held(org, ufd_staff, [target])

    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, target.count) == (1, 1)
    assert item.progress == 100
    assert item.started is True
    assert event.is_held
    assert item.events.filter(note__contains=event.title).exists()  # the item's timeline

    services.delete_event(event, by=ufd_staff)

    target.refresh_from_db()
    item.refresh_from_db()
    assert (target.achieved, target.count) == (0, 1)
    assert item.progress == 0


def test_item_13_two_targets_by_two_events(org, ufd_staff, seed_plan):
    item = seed_plan[13]
    symposium, activity = item.targets.order_by("order")
    _held(org, ufd_staff, [symposium])
    item.refresh_from_db()
    assert item.progress == 50
    _held(org, ufd_staff, [activity])
    item.refresh_from_db()
    assert [(t.achieved, t.count) for t in item.targets.order_by("order")] == [(1, 1), (1, 1)]
    assert item.progress == 100


def test_unholding_and_cancelling_take_the_count_back(org, ufd_staff, seed_plan):
    target = seed_plan[4].targets.get()
    event = _held(org, ufd_staff, [target])
    services.unmark_held(event, by=ufd_staff)
    target.refresh_from_db()
    assert target.achieved == 0
    event = services.mark_held(event, by=ufd_staff)
    target.refresh_from_db()
    assert target.achieved == 1
    services.cancel_event(event, by=ufd_staff, reason="误录")
    target.refresh_from_db()
    assert target.achieved == 0


def test_relinking_targets_of_a_held_event_moves_the_count(org, ufd_staff, seed_plan):
    four, thirteen = seed_plan[4].targets.get(), seed_plan[13].targets.order_by("order").first()
    event = _held(org, ufd_staff, [four])
    services.update_event(event, by=ufd_staff, data={"targets": [thirteen]}, version=event.version)
    four.refresh_from_db()
    thirteen.refresh_from_db()
    assert (four.achieved, thirteen.achieved) == (0, 1)


def test_mark_held_needs_the_end_and_the_minutes(org, ufd_staff, seed_plan):
    target = seed_plan[4].targets.get()
    upcoming = EventFactory(organisation=org, minutes="纪要")
    upcoming.targets.set([target])
    with pytest.raises(services.NotAllowed, match="活动结束后"):
        services.mark_held(upcoming, by=ufd_staff)
    no_minutes = past_event(org)
    with pytest.raises(services.NotAllowed, match="纪要"):
        services.mark_held(no_minutes, by=ufd_staff)
    target.refresh_from_db()
    assert target.achieved == 0


def test_mark_held_sets_each_outcome(org, ufd_staff, make_member):
    came, absent = make_member(), make_member()
    event = past_event(org, minutes="纪要")
    Registration.objects.create(event=event, person=came, status="registered", checked_in_at=timezone.now())
    Registration.objects.create(event=event, person=absent, status="registered")
    services.mark_held(event, by=ufd_staff)
    assert dict(event.registrations.values_list("person__name", "outcome")) == {
        came.name: "attended",
        absent.name: "no_show",
    }
    assert list(services.attended_events(came)) == [event]
    assert list(services.attended_events(absent)) == []


def test_held_event_keeps_its_minutes(org, ufd_staff):
    event = _held(org, ufd_staff, [])
    with pytest.raises(services.NotAllowed):
        services.record_report(event, by=ufd_staff, minutes=" ", attendance_count=None, version=event.version)


def test_record_report_refuses_a_stale_version(org, ufd_staff):
    event = past_event(org)
    services.record_report(event, by=ufd_staff, minutes="甲", attendance_count=12, version=event.version)
    with pytest.raises(services.StaleEdit):
        services.record_report(event, by=ufd_staff, minutes="乙", attendance_count=None, version=1)
    event.refresh_from_db()
    assert (event.minutes, event.attendance_count) == ("甲", 12)


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_go_once_to_registered_people_a_day_ahead(org, make_member, settings):
    soon = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=24, minutes=30))
    later = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(days=3))
    registered, waiting, cancelled = make_member(), make_member(), make_member()
    for event in (soon, later):
        Registration.objects.create(event=event, person=registered, status="registered")
    Registration.objects.create(event=soon, person=waiting, status="waiting")
    Registration.objects.create(event=soon, person=cancelled, status="cancelled")

    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    reminders = Notification.objects.filter(title__startswith="活动提醒")
    assert [(n.user, n.title) for n in reminders] == [(registered.user, f"活动提醒：{soon.title}")]


def test_reminder_command_prints_a_summary(org, make_member, capsys):
    event = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=2))
    Registration.objects.create(event=event, person=make_member(), status="registered")
    call_command("send_event_reminders")
    assert capsys.readouterr().out.strip() == "已发送活动提醒 1 条。"


def test_reminder_task_runs_the_service(org, make_member):
    from events.tasks import send_event_reminders

    event = EventFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=3))
    Registration.objects.create(event=event, person=make_member(), status="registered")
    send_event_reminders.call_local()
    assert Registration.objects.get().reminded_at is not None


# --- Figures, audit ---------------------------------------------------------------------------


def test_event_figures_by_type_and_department(org, ufd_department, student_department, ufd_staff):
    year = timezone.localdate().year
    start = timezone.now().replace(month=6, day=1)
    EventFactory(organisation=org, type="symposium", department=ufd_department, starts_at=start)
    EventFactory(organisation=org, type="symposium", department=ufd_department, starts_at=start, held_at=start)
    EventFactory(organisation=org, type="training", department=student_department, starts_at=start)
    EventFactory(organisation=org, type="training", starts_at=start, status=Event.Status.CANCELLED)
    EventFactory(organisation=org, type="visit", starts_at=start.replace(year=year - 1))

    figures = services.event_figures(org, year)

    assert (figures["total"], figures["held"]) == (3, 1)
    by_type = {row["label"]: (row["count"], row["held"]) for row in figures["by_type"]}
    assert by_type["座谈会"] == (2, 1)
    assert by_type["培训"] == (1, 0)
    assert by_type["参观"] == (0, 0)
    assert [(r["department"], r["count"]) for r in figures["by_department"]] == [("党委统战部", 2), ("学生工作处", 1)]


def test_every_change_is_audited(event, member, ufd_staff):
    registration = services.register(event, person=member.person, by=member)
    services.cancel_registration(registration, by=member)
    actions = list(
        AuditEvent.objects.filter(object_type="events.registration").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
