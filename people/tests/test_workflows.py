"""Member change requests, the contact log and its figures, and what each role may see."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from orgs.models import Role
from people import queries, services
from people.models import ContactRecord, Person, ProfileChangeRequest
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(member):
    return member.person


def test_member_proposes_a_change_and_staff_are_told(client, member, own, ufd_staff):
    old_phone = own.phone
    client.force_login(member)
    page = client.get(reverse("people:me-edit")).content.decode()
    assert 'type="tel"' in page and old_phone in page  # the member sees their own number
    response = client.post(reverse("people:me-edit"), {"phone": "13800001111", "email": own.email, "job_title": "讲师"})
    assert response.url == reverse("people:me")
    change = ProfileChangeRequest.objects.get()
    assert change.changes == {"phone": [old_phone, "13800001111"], "job_title": ["", "讲师"]}
    own.refresh_from_db()
    assert own.phone == old_phone  # nothing changes before review
    assert "正在等待统战部审核" in client.get(reverse("people:me")).content.decode()
    assert Notification.objects.get(user=ufd_staff).url == reverse("people:changes")
    audit = AuditEvent.objects.get(object_type="people.profilechangerequest")
    assert "13800001111" not in str(audit.changes)


def test_a_second_proposal_replaces_the_pending_one(client, member, own):
    client.force_login(member)
    client.post(reverse("people:me-edit"), {"phone": "13800001111"})
    client.post(reverse("people:me-edit"), {"phone": "13800002222"})
    assert ProfileChangeRequest.objects.get().changes["phone"][1] == "13800002222"


def test_staff_approve_and_the_history_keeps_who_when_before_after(client, member, own, ufd_staff):
    old_phone = own.phone
    change = services.propose_change(own, by=member, changes={"phone": [old_phone, "13800001111"]})
    client.force_login(ufd_staff)
    page = client.get(reverse("people:changes")).content.decode()
    assert "138****1111" in page and "13800001111" not in page
    client.post(reverse("people:change-review", args=[change.pk]), {"decision": "approve"})
    own.refresh_from_db()
    assert (own.phone, own.version) == ("13800001111", 2)
    change.refresh_from_db()
    assert (change.status, change.reviewed_by) == (ProfileChangeRequest.Status.APPROVED, ufd_staff)
    history = own.history.get(note="本人申请，审核通过")
    masked_old = services.mask_value("phone", old_phone)
    assert (history.user, history.changes) == (ufd_staff, {"phone": [masked_old, "138****1111"]})
    assert Notification.objects.filter(user=member, title="您的信息修改已通过审核").exists()


def test_staff_reject_with_a_reason(client, member, own, ufd_staff):
    change = services.propose_change(own, by=member, changes={"job_title": ["", "院长"]})
    client.force_login(ufd_staff)
    client.post(reverse("people:change-review", args=[change.pk]), {"decision": "reject", "reason": ""})
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.PENDING  # a reason is required
    client.post(
        reverse("people:change-review", args=[change.pk]), {"decision": "reject", "reason": "职务以人事处文件为准"}
    )
    change.refresh_from_db()
    own.refresh_from_db()
    assert (change.status, change.reason, own.job_title) == ("rejected", "职务以人事处文件为准", "")
    client.force_login(member)
    assert "职务以人事处文件为准" in client.get(reverse("people:me")).content.decode()


def test_members_cannot_review_or_see_others(client, member, person):
    client.force_login(member)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 403
    assert client.get(reverse("people:changes")).status_code == 403


# --- Contact log --------------------------------------------------------------------------------


CONTACT = {"date": "2026-03-05", "met_by": "王同心", "method": "talk", "raised": "希望增加实验室开放时间"}


def test_staff_record_a_contact_and_the_follow_up_shows_on_their_home(client, ufd_staff, person):
    client.force_login(ufd_staff)
    refused = client.post(reverse("people:contact-create", args=[person.pk]), CONTACT | {"follow_up_needed": "on"})
    assert "需要跟进时请写明跟进事项" in refused.content.decode()
    client.post(
        reverse("people:contact-create", args=[person.pk]),
        CONTACT | {"follow_up_needed": "on", "follow_up": "协调实验室管理处"},
    )
    record = ContactRecord.objects.get()
    assert (record.recorded_by, record.person, record.is_open) == (ufd_staff, person, True)
    home = client.get(reverse("dashboard:home")).content.decode()
    assert "协调实验室管理处" in home
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "希望增加实验室开放时间" in detail
    client.post(reverse("people:contact-outcome", args=[record.pk]), {"outcome": "已延长至晚十点", "close": "on"})
    record.refresh_from_db()
    assert record.closed_at is not None and record.outcome == "已延长至晚十点"
    assert "协调实验室管理处" not in client.get(reverse("dashboard:home")).content.decode()


def test_liaison_records_contacts_only_for_assigned_people_and_never_sees_phones(client, liaison, person, org):
    other = PersonFactory(organisation=org, name="未指定")
    person.assigned_cadres.add(liaison)
    client.force_login(liaison)
    page = client.get(reverse("people:contacts")).content.decode()
    assert person.name in page and other.name not in page
    assert person.phone not in page and person.masked_phone not in page
    assert client.get(reverse("people:contact-create", args=[other.pk])).status_code == 403
    response = client.post(reverse("people:contact-create", args=[person.pk]), CONTACT)
    assert response.url == reverse("people:contacts")
    record = ContactRecord.objects.get()
    assert record.recorded_by == liaison
    form = client.get(reverse("people:contact-create", args=[person.pk])).content.decode()
    assert person.phone not in form
    for url in (reverse("people:list"), reverse("people:detail", args=[person.pk]), reverse("people:export")):
        assert client.get(url).status_code == 403


def test_liaison_cannot_close_someone_elses_follow_up(client, liaison, ufd_staff, person):
    person.assigned_cadres.add(liaison)
    record = ContactRecord.objects.create(
        person=person, date=date(2026, 1, 1), recorded_by=ufd_staff, met_by="王", method="visit"
    )
    client.force_login(liaison)
    assert client.get(reverse("people:contact-outcome", args=[record.pk])).status_code == 403


def test_leader_sees_figures_and_never_an_unmasked_phone(client, leader, person):
    client.force_login(leader)
    for url in (reverse("people:figures"), reverse("people:returned")):
        response = client.get(url)
        assert response.status_code == 200
        assert person.phone not in response.content.decode()
    for url in (reverse("people:list"), reverse("people:detail", args=[person.pk]), reverse("people:export")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("people:reveal", args=[person.pk]), {"purpose": "看看"}).status_code == 403


def test_figures_count_contacts_per_person_per_year_and_the_uncontacted(client, ufd_staff, org):
    year = timezone.localdate().year
    a, b, c = (PersonFactory(organisation=org, name=n) for n in ("甲", "乙", "丙"))
    for d in (date(year, 1, 5), date(year, 2, 5), date(year - 1, 6, 1)):
        ContactRecord.objects.create(person=a, date=d, met_by="王", method="talk")
    ContactRecord.objects.create(person=b, date=date(year, 3, 1), met_by="王", method="phone")
    ContactRecord.objects.create(person=c, date=date(year - 1, 3, 1), met_by="王", method="phone")
    figures = queries.contact_figures(org, year=year)
    assert [(p.name, p.contacts_in_year) for p in figures["contacted"]] == [("甲", 2), ("乙", 1)]
    assert [p.name for p in figures["not_contacted"]] == ["丙"]
    assert figures["contact_count"] == 3
    last_year = queries.contact_figures(org, year=year - 1)
    assert [p.name for p in last_year["not_contacted"]] == ["乙"]
    client.force_login(ufd_staff)
    page = client.get(reverse("people:figures"), {"year": year}).content.decode()
    assert f"{year}年尚未联系（1人）" in page


def test_staff_home_follow_up_query_is_bounded(client, ufd_staff, person, django_assert_max_num_queries):
    for i in range(20):
        ContactRecord.objects.create(
            person=person,
            date=date(2026, 1, 1 + i),
            recorded_by=ufd_staff,
            met_by="王",
            method="talk",
            follow_up_needed=True,
            follow_up=f"事项{i}",
        )
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(
        29 + 5
    ):  # the whole staff home + the year's charts (dashboard/tests/test_home_pages.py)
        client.get(reverse("dashboard:home"))


def test_other_org_people_are_404_for_staff(client, other_personas, person):
    client.force_login(other_personas[Role.UFD_STAFF])
    for name in ("people:detail", "people:contact-create", "people:edit"):
        assert client.get(reverse(name, args=[person.pk])).status_code == 404
    assert not Person.objects.filter(pk=person.pk, name="x").exists()
