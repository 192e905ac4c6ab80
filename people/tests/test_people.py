import re
from datetime import date

import pytest
from django.urls import reverse

from core.models import AuditEvent
from people.models import Category, Party, Person
from people.tests.factories import PersonFactory

FORM = {
    "name": "王芳",
    "gender": "F",
    "birth_month": "1980年5月",
    "staff_number": "T100",
    "job_title": "副教授",
    "phone": "13912345678",
    "email": "wf@example.edu.cn",
    "categories": [Category.DEMOCRATIC_PARTY, Category.RETURNED_SCHOLAR],
}


@pytest.mark.django_db
def test_staff_adds_a_person_and_it_is_audited(client, ufd_staff, org, ufd_department):
    client.force_login(ufd_staff)
    response = client.post(reverse("people:create"), FORM | {"department": ufd_department.pk})
    person = Person.objects.get(name="王芳")
    assert response.status_code == 302
    assert (person.organisation, person.birth_month, person.department) == (org, date(1980, 5, 1), ufd_department)
    assert sorted(person.categories) == sorted([Category.DEMOCRATIC_PARTY, Category.RETURNED_SCHOLAR])
    event = AuditEvent.objects.get(action="create", object_type="people.person")
    assert event.changes["phone"] == ["", "139****5678"]  # the audit log never holds the full number


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1980-05", "1980.05", "1980/5", "1980年5月"])
def test_birth_month_accepts_office_formats(client, ufd_staff, value):
    client.force_login(ufd_staff)
    client.post(reverse("people:create"), FORM | {"birth_month": value})
    assert Person.objects.get().birth_month == date(1980, 5, 1)


@pytest.mark.django_db
def test_bad_input_is_explained_and_saves_nothing(client, ufd_staff, person):
    PersonFactory(organisation=person.organisation, staff_number="T100")
    client.force_login(ufd_staff)
    response = client.post(reverse("people:create"), FORM | {"birth_month": "1980-13", "phone": "abc"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请按“1980-05”的格式填写年月" in body
    assert "请填写正确的电话号码" in body
    assert "该工号已被其他人使用" in body
    assert Person.objects.filter(name="王芳").count() == 0


@pytest.mark.django_db
def test_reading_a_person_is_audited(client, ufd_staff, person):
    client.force_login(ufd_staff)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert person.phone not in body  # masked until a purpose is stated
    assert person.masked_phone in body
    event = AuditEvent.objects.get(action="view")
    assert (event.user, event.object_id, event.changes) == (ufd_staff, str(person.pk), {})


@pytest.mark.django_db
def test_list_masks_phone_numbers(client, ufd_staff, person):
    client.force_login(ufd_staff)
    body = client.get(reverse("people:list")).content.decode()
    assert person.masked_phone in body
    assert person.phone not in body


@pytest.mark.django_db
def test_edit_saves_and_bumps_version(client, ufd_staff, person):
    client.force_login(ufd_staff)
    response = client.post(reverse("people:edit", args=[person.pk]), FORM | {"version": person.version})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.version) == ("王芳", 2)


@pytest.mark.django_db
def test_concurrent_edit_is_refused_and_nothing_is_lost(client, ufd_staff, person):
    client.force_login(ufd_staff)
    first = client.post(reverse("people:edit", args=[person.pk]), FORM | {"name": "先保存", "version": 1})
    second = client.post(reverse("people:edit", args=[person.pk]), FORM | {"name": "后保存", "version": 1})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "此记录已被他人修改" in second.content.decode()
    assert "后保存" in second.content.decode()  # the second user's typing is still on the page
    person.refresh_from_db()
    assert (person.name, person.version) == ("先保存", 2)


@pytest.mark.django_db
def test_delete_is_audited(client, ufd_staff, person):
    client.force_login(ufd_staff)
    response = client.post(reverse("people:delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="people.person").count() == 1


@pytest.mark.django_db
def test_filters_by_category_and_text(client, ufd_staff, org):
    a = PersonFactory(organisation=org, name="甲")
    a.category_links.create(category=Category.RETURNED_SCHOLAR)
    PersonFactory(organisation=org, name="乙")
    client.force_login(ufd_staff)
    page = client.get(reverse("people:list"), {"category": Category.RETURNED_SCHOLAR}).context["page"]
    assert [p.name for p in page] == ["甲"]
    page = client.get(reverse("people:list"), {"q": "乙"}).context["page"]
    assert [p.name for p in page] == ["乙"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 60])
def test_list_query_count_is_bounded(client, ufd_staff, org, ufd_department, rows, django_assert_max_num_queries):
    for _ in range(rows):
        p = PersonFactory(organisation=org, department=ufd_department)
        p.category_links.create(category=Category.NON_PARTY)
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("people:list"))
    assert len(response.context["page"]) == min(rows, 50)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 60])
def test_list_shows_each_persons_categories_and_parties_in_bounded_queries(
    client, ufd_staff, org, rows, django_assert_max_num_queries
):
    """Categories in their order (by code), parties by join month; a person with none shows empty cells."""
    for i in range(rows):
        p = PersonFactory(organisation=org, name=f"人{i:03d}")
        p.category_links.create(category=Category.RETURNED_SCHOLAR)
        p.category_links.create(category=Category.NON_PARTY)
        p.party_memberships.create(party=Party.JIUSAN, join_month=date(2015, 1, 1))
        p.party_memberships.create(party=Party.MINGE, join_month=date(2010, 1, 1))
    PersonFactory(organisation=org, name="座无类别")
    client.force_login(ufd_staff)
    with django_assert_max_num_queries(14):
        body = re.sub(r">\s+<", "><", client.get(reverse("people:list")).content.decode())
    assert body.count("<td>无党派人士、留学回国人员</td><td>民革、九三学社</td>") == min(rows, 50)
    if rows == 1:
        assert "座无类别</a></td><td></td><td></td><td></td><td></td><td></td>" in body


@pytest.mark.django_db
def test_member_sees_own_profile_and_read_is_audited(client, member):
    client.force_login(member)
    response = client.get(reverse("people:me"))
    assert "张建言" in response.content.decode()
    assert AuditEvent.objects.filter(action="view", user=member).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("parties", [1, 3])
def test_member_profile_queries_are_bounded(client, member, org, django_assert_max_num_queries, parties):
    """Session, user, membership with its organisation, the record with its department and
    categories, study abroad, parties and posts (3), the audited read (savepoint, chain head,
    insert, head update, release: 5), the pending and the latest change request, unread notices:
    16. The audit row names the member's organisation without fetching it again (issue 16)."""
    for party in [Party.JIUSAN, Party.MINGE, Party.MINJIAN][:parties]:
        member.person.party_memberships.create(party=party, join_month=date(2010, 1, 1))
    client.force_login(member)
    client.get(reverse("people:me"))  # the organisation's audit chain head exists
    with django_assert_max_num_queries(16):
        response = client.get(reverse("people:me"))
    assert "九三学社" in response.content.decode()
    assert {e.organisation_id for e in AuditEvent.objects.filter(action="view", user=member)} == {org.pk}


@pytest.mark.django_db
def test_user_text_is_escaped(client, ufd_staff, org):
    PersonFactory(organisation=org, name="<script>alert(1)</script>")
    client.force_login(ufd_staff)
    body = client.get(reverse("people:list")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
