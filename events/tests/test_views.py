import io
from datetime import UTC, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from events import services
from events.models import Event, EventPhoto, ExternalRegistration, Registration
from events.tests.conftest import invite, past_event
from events.tests.factories import EventFactory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _form_data(**overrides):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "title": "2023年统战工作座谈会",
        "type": "symposium",
        "starts_at": start.strftime("%Y-%m-%dT14:30"),
        "ends_at": start.strftime("%Y-%m-%dT16:30"),
        "place": "行政楼301",
        "capacity": "30",
        "audience_categories": ["democratic_party"],
        "version": "",
    }
    data.update(overrides)
    return data


# --- Staff pages -------------------------------------------------------------------------------


def test_staff_create_edit_publish(client, org, ufd_staff, seed_plan, ufd_department):
    client.force_login(ufd_staff)
    target = seed_plan[4].targets.get()
    response = client.post(reverse("events:create"), _form_data(targets=[target.pk], department=ufd_department.pk))
    event = Event.objects.get()
    assert response.url == reverse("events:detail", args=[event.pk])
    assert event.status == "draft"
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "14:30"
    assert list(event.targets.all()) == [target]
    assert event.audience_categories == ["democratic_party"]

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        _form_data(title="改名后的座谈会", version=event.version, targets=[target.pk]),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.version) == ("改名后的座谈会", 2)

    client.post(reverse("events:publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == "published"
    page = client.get(reverse("events:detail", args=[event.pk]))
    assert page.status_code == 200
    assert "召开一次统战工作座谈会" in page.content.decode()


def test_edit_with_a_stale_version_is_a_409_that_keeps_the_form(client, org, ufd_staff):
    event = EventFactory(organisation=org, title="原标题")
    client.force_login(ufd_staff)
    response = client.post(
        reverse("events:edit", args=[event.pk]), _form_data(title="我的修改", version=event.version - 1 or 99)
    )
    assert response.status_code == 409
    assert "我的修改" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "原标题"


def test_form_refuses_end_before_start(client, ufd_staff):
    client.force_login(ufd_staff)
    data = _form_data()
    data["ends_at"] = data["starts_at"].replace("14:30", "09:00")
    response = client.post(reverse("events:create"), data)
    assert response.status_code == 200
    assert "结束时间不能早于开始时间" in response.content.decode()
    assert not Event.objects.exists()


def test_wrong_role_403_other_org_404_wrong_method_405(client, org, other_personas, member, leader, event):
    client.force_login(member)
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 403
    client.force_login(leader)  # leaders read events, but may not change them
    assert client.get(reverse("events:edit", args=[event.pk])).status_code == 403
    from orgs.models import Role

    client.force_login(other_personas[Role.UFD_STAFF])
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:delete", args=[event.pk])).status_code == 404
    assert Event.objects.filter(pk=event.pk).exists()
    client.force_login(other_personas[Role.MEMBER])
    assert client.get(reverse("events:m-detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("events:m-register", args=[event.pk])).status_code == 404
    assert not event.registrations.exists()
    client.force_login(member)
    assert client.get(reverse("events:m-register", args=[event.pk])).status_code == 405


def test_delete_and_cancel(client, org, ufd_staff, event, member):
    services.register(event, person=member.person, by=member)
    client.force_login(ufd_staff)
    client.post(reverse("events:cancel", args=[event.pk]), {"reason": "因故延期"})
    event.refresh_from_db()
    assert (event.status, event.cancel_reason) == ("cancelled", "因故延期")
    assert member.notifications.filter(title=f"活动取消：{event.title}").exists()
    client.post(reverse("events:delete", args=[event.pk]))
    assert not Event.objects.filter(pk=event.pk).exists()


def test_mark_held_from_the_page_refuses_without_minutes(client, org, ufd_staff):
    event = past_event(org)
    client.force_login(ufd_staff)
    response = client.post(reverse("events:mark-held", args=[event.pk]), follow=True)
    assert "请先录入会议纪要" in response.content.decode()
    event.refresh_from_db()
    assert event.held_at is None
    client.post(
        reverse("events:report", args=[event.pk]),
        {"minutes": "纪要正文", "attendance_count": "25", "version": event.version},
    )
    client.post(reverse("events:mark-held", args=[event.pk]))
    event.refresh_from_db()
    assert event.held_at is not None
    assert event.attendance_count == 25


# --- Check-in ------------------------------------------------------------------------------------


def _soon(event):
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(minutes=20))
    event.refresh_from_db()
    return event


def test_qr_landing_then_check_in(client, event, member):
    _soon(event)
    services.register(event, person=member.person, by=member)
    client.force_login(member)
    url = reverse("events:m-checkin", args=[event.pk, event.checkin_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "您已报名，请点击下方按钮签到" in page.content.decode()
    assert event.registrations.get().checked_in_at is None  # GET changes nothing

    response = client.post(url, follow=True)

    assert "签到成功" in response.content.decode()
    assert event.registrations.get().checked_in_at is not None


def test_qr_link_sends_anonymous_to_login_and_back(client, event):
    url = reverse("events:m-checkin", args=[event.pk, event.checkin_token])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_forged_check_in_token_does_nothing(client, event, member):
    _soon(event)
    services.register(event, person=member.person, by=member)
    client.force_login(member)
    forged = reverse("events:m-checkin", args=[event.pk, "x" + event.checkin_token[1:]])
    assert client.get(forged).status_code == 404
    assert client.post(forged).status_code == 404
    assert event.registrations.get().checked_in_at is None


def test_qr_code_encodes_the_check_in_address(client, event, ufd_staff, settings):
    import segno

    settings.TONGXIN_BASE_URL = "https://tongxin.example.edu.cn"
    client.force_login(ufd_staff)
    response = client.get(reverse("events:qr", args=[event.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    url = f"https://tongxin.example.edu.cn/events/{event.pk}/checkin/{event.checkin_token}/"
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=8, border=2, xmldecl=False)
    assert response.content == expected.getvalue()
    assert url in client.get(reverse("events:poster", args=[event.pk])).content.decode()


def test_staff_htmx_check_in_toggle(client, event, member, ufd_staff):
    registration = services.register(event, person=member.person, by=member)
    client.force_login(ufd_staff)
    url = reverse("events:checkin-toggle", args=[event.pk, registration.pk])
    response = client.post(url, {"checked": "true"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="reg-{registration.pk}">')
    assert "已签到" in html
    registration.refresh_from_db()
    assert registration.checked_in_by == ufd_staff
    client.post(url, {"checked": "false"}, HTTP_HX_REQUEST="true")
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_toggle_of_another_events_registration_is_404(client, org, event, member, ufd_staff):
    other = EventFactory(organisation=org)
    registration = services.register(event, person=member.person, by=member)
    client.force_login(ufd_staff)
    url = reverse("events:checkin-toggle", args=[other.pk, registration.pk])
    assert client.post(url, {"checked": "true"}).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- Member pages --------------------------------------------------------------------------------


def test_member_registers_and_cancels_from_the_phone_pages(client, event, member):
    client.force_login(member)
    listing = client.get(reverse("events:m-list"))
    assert event.title in listing.content.decode()
    response = client.post(reverse("events:m-register", args=[event.pk]), follow=True)
    assert "报名成功" in response.content.decode()
    assert event.registrations.get().status == "registered"
    response = client.post(reverse("events:m-register", args=[event.pk]), follow=True)
    assert "报名未成功：您已报名该活动，无需重复报名。" in response.content.decode()
    assert event.registrations.count() == 1
    client.post(reverse("events:m-cancel", args=[event.pk]))
    assert event.registrations.get().status == "cancelled"


def test_member_registering_after_the_window_sees_why(client, event, member):
    Event.objects.filter(pk=event.pk).update(registration_closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(member)
    response = client.post(reverse("events:m-register", args=[event.pk]), follow=True)
    assert "报名未成功：报名已截止。" in response.content.decode()
    assert not event.registrations.exists()


def test_member_cannot_see_an_event_not_for_them(client, org, member):
    hidden = EventFactory(organisation=org)
    client.force_login(member)
    assert client.get(reverse("events:m-detail", args=[hidden.pk])).status_code == 404
    assert hidden.title not in client.get(reverse("events:m-list")).content.decode()


def test_member_declines(client, event, member):
    client.force_login(member)
    client.post(reverse("events:m-decline", args=[event.pk]))
    assert event.registrations.get().status == "declined"


# --- Photos, feedback ----------------------------------------------------------------------------


def test_photo_upload_accepts_images_and_refuses_other_files(client, org, ufd_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = past_event(org)
    client.force_login(ufd_staff)
    url = reverse("events:photo-add", args=[event.pk])
    response = client.post(url, {"image": SimpleUploadedFile("合影.png", PNG), "caption": "合影"}, follow=True)
    assert "照片已上传" in response.content.decode()
    photo = EventPhoto.objects.get()
    assert client.get(reverse("events:photo", args=[event.pk, photo.pk]))["Content-Type"] == "image/png"

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is a program, not a picture")
    response = client.post(url, {"image": fake}, follow=True)
    assert "不是允许的类型（图片）" in response.content.decode()
    pdf = SimpleUploadedFile("scan.png", b"%PDF-1.4 fake")
    client.post(url, {"image": pdf})
    assert EventPhoto.objects.count() == 1


def test_feedback_add_and_delete(client, org, ufd_staff):
    event = past_event(org)
    client.force_login(ufd_staff)
    client.post(reverse("events:feedback-add", args=[event.pk]), {"text": "建议多组织调研", "raised_by": "王老师"})
    feedback = event.feedback.get()
    assert (feedback.text, feedback.raised_by) == ("建议多组织调研", "王老师")
    client.post(reverse("events:feedback-delete", args=[event.pk, feedback.pk]))
    assert not event.feedback.exists()


# --- Exports -------------------------------------------------------------------------------------


def _registered_event(org, make_member, department):
    event = EventFactory(organisation=org, title="统战工作座谈会")
    people = [make_member(n) for n in ["张三", "李四"]]
    for p in people:
        p.department = department
        p.save()
        invite(event, p)
        services.register(event, person=p, by=None)
    ExternalRegistration.objects.create(event=event, name="=王来宾", unit="市委统战部")
    return event


def test_sign_in_sheet_xlsx(client, org, ufd_staff, make_member, ufd_department):
    from openpyxl import load_workbook

    event = _registered_event(org, make_member, ufd_department)
    client.force_login(ufd_staff)
    response = client.get(reverse("events:signin-xlsx", args=[event.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == ["序号", "姓名", "单位/部门", "签名"]
    assert rows[1:] == [
        [1, "张三", "党委统战部", None],
        [2, "李四", "党委统战部", None],
        [3, "'=王来宾", "市委统战部", None],
    ]
    assert AuditEvent.objects.filter(action="export", object_id=str(event.pk)).count() == 1


def test_sign_in_sheet_docx(client, org, ufd_staff, make_member, ufd_department):
    from docx import Document

    event = _registered_event(org, make_member, ufd_department)
    client.force_login(ufd_staff)
    response = client.get(reverse("events:signin-docx", args=[event.pk]))
    table = Document(io.BytesIO(response.content)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "姓名", "单位/部门", "签名"]
    assert [c.text for c in table.rows[2].cells] == ["2", "李四", "党委统战部", ""]
    assert len(table.rows) == 4
    assert (
        "签到表" in response["Content-Disposition"] or "%E7%AD%BE%E5%88%B0%E8%A1%A8" in response["Content-Disposition"]
    )


def test_attendance_xlsx(client, org, ufd_staff, make_member, ufd_department):
    from openpyxl import load_workbook

    event = _registered_event(org, make_member, ufd_department)
    services.check_in(event.registrations.first(), by=ufd_staff)
    client.force_login(ufd_staff)
    response = client.get(reverse("events:attendance-xlsx", args=[event.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("序号", "姓名", "单位/部门", "报名状态", "签到时间", "结果")
    assert rows[1][1] == "张三" and rows[1][5] == "已签到"
    assert rows[2][5] is None


def test_event_ics_for_staff_and_invited_member(client, event, ufd_staff, member):
    client.force_login(ufd_staff)
    text = client.get(reverse("events:ics", args=[event.pk])).content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART:{event.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n" in text
    client.force_login(member)
    assert client.get(reverse("events:ics", args=[event.pk])).status_code == 200


def test_personal_feed_at_a_secret_address(client, org, event, member):
    services.register(event, person=member.person, by=member)
    client.force_login(member)
    page = client.get(reverse("events:m-mine")).content.decode()
    feed = services.calendar_feed_for(member.person)
    assert feed.token in page
    client.logout()
    response = client.get(reverse("events:feed", args=[feed.token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"SUMMARY:{event.title}" in response.content.decode()
    assert client.get(reverse("events:feed", args=["wrong-token"])).status_code == 404
    client.force_login(member)
    client.post(reverse("events:m-feed-reset"))
    client.logout()
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 404


# --- Public sign-up ------------------------------------------------------------------------------


def test_public_sign_up_with_name_and_unit(client, org):
    event = EventFactory(organisation=org, public_signup=True, capacity=1)
    url = reverse("events:public-signup", args=[event.public_token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": " 王 来宾 ", "unit": "市委统战部"})
    assert "报名成功" in response.content.decode()
    assert list(ExternalRegistration.objects.values_list("name", "unit")) == [("王 来宾", "市委统战部")]
    response = client.post(url, {"name": "李来宾", "unit": "兄弟院校"})
    assert response.status_code == 409
    assert "名额已满" in response.content.decode()
    assert ExternalRegistration.objects.count() == 1


def test_public_sign_up_link_off_or_wrong_is_404(client, org):
    event = EventFactory(organisation=org, public_signup=False)
    assert client.get(reverse("events:public-signup", args=[event.public_token])).status_code == 404
    assert client.get(reverse("events:public-signup", args=["nope"])).status_code == 404


# --- Bounded queries -------------------------------------------------------------------------


def _fill(event, n, org):
    people = PersonFactory.create_batch(n, organisation=org)
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                person=p,
                status="registered" if i % 5 else "waiting",
                checked_in_at=timezone.now() if i % 3 else None,
            )
            for i, p in enumerate(people)
        ]
    )


@pytest.mark.parametrize("many", [False, True])
def test_event_list_bounded(client, org, ufd_staff, django_assert_max_num_queries, many):
    for _ in range(60 if many else 1):
        EventFactory(organisation=org)
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("events:list")).status_code == 200


@pytest.mark.parametrize("n", [1, 500])
def test_event_detail_and_attendance_bounded(client, org, ufd_staff, event, django_assert_max_num_queries, n):
    _fill(event, n, org)
    ExternalRegistration.objects.create(event=event, name="王来宾", unit="市委统战部")
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:attendance", args=[event.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_member_list_bounded(client, org, member, django_assert_max_num_queries, n):
    for _ in range(n):
        invite(EventFactory(organisation=org), member.person)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:m-list"))
    assert response.content.decode().count('class="m-card m-event"') == n


def test_person_page_lists_events_attended(client, org, ufd_staff, member):
    event = past_event(org, title="统战知识培训")
    Registration.objects.create(event=event, person=member.person, status="registered", checked_in_at=timezone.now())
    past_event(org, title="未参加的调研")
    client.force_login(ufd_staff)
    html = client.get(reverse("people:detail", args=[member.person.pk])).content.decode()
    assert "参加的活动（1）" in html
    assert "统战知识培训" in html
    assert "未参加的调研" not in html


@pytest.mark.parametrize("n", [1, 40])
def test_member_event_page_floor(client, org, member, ufd_department, django_assert_max_num_queries, n):
    """The member's event page (issue 16): session, user, membership with its organisation, the
    member's record, the event with its department, the member's registration, the two place
    counts and the unread notices: 9 queries, however many have registered."""
    event = EventFactory(organisation=org, capacity=100, department=ufd_department)
    invite(event, member.person)
    _fill(event, n, org)
    client.force_login(member)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:m-detail", args=[event.pk]))
    html = response.content.decode()
    assert "<dd>党委统战部</dd>" in html
    registered = sum(1 for i in range(n) if i % 5)  # _fill: every fifth waits
    assert f"剩余 {100 - registered} 个" in html
