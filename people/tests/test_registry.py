"""Search, groups, related records, consent, the person page and its history."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import figures_cache
from core.models import AuditEvent
from people import queries, services
from people.models import Category, Group, Party, PartyMembership, Person, PersonCategory, PublicityConsent, PublicPost
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def make(org, name, **kwargs):
    return services.create_person(org, by=None, data={"name": name, **kwargs})


def names(response):
    return [p.name for p in response.context["page"]]


@pytest.mark.parametrize("query", ["zs", "ZS", "zhangs", "zhangsan", "张", "T9"])
def test_search_finds_by_pinyin_initials_full_pinyin_name_and_staff_number(client, ufd_staff, org, query):
    make(org, "张三", staff_number="T9")
    make(org, "李四")
    client.force_login(ufd_staff)
    assert names(client.get(reverse("people:list"), {"q": query})) == ["张三"]


def test_pinyin_keys_follow_renames_and_polyphonic_surnames(org, ufd_staff):
    person = make(org, "曾小明")
    assert (person.name_initials, person.name_pinyin) == ("zxm", "zengxiaoming")
    person = services.update_person(person, by=ufd_staff, data={"name": "单田芳"}, version=person.version)
    assert person.name_initials == "stf"


def test_filters_by_party_post_department_and_returned(client, ufd_staff, org, ufd_department):
    a = make(org, "甲", department=ufd_department)
    PartyMembership.objects.create(person=a, party=Party.JIUSAN)
    PublicPost.objects.create(person=a, kind=PublicPost.Kind.CPPCC)
    b = make(org, "乙", categories=[Category.RETURNED_SCHOLAR])
    make(org, "丙")
    client.force_login(ufd_staff)
    url = reverse("people:list")
    assert names(client.get(url, {"party": Party.JIUSAN})) == ["甲"]
    assert names(client.get(url, {"post": "cppcc"})) == ["甲"]
    assert names(client.get(url, {"department": ufd_department.pk})) == ["甲"]
    assert names(client.get(url, {"returned": "on"})) == ["乙"]
    b.category_links.all().delete()
    b.study_records.create(country_region="日本")
    assert names(client.get(url, {"returned": "on"})) == ["乙"]


def test_list_runs_the_same_queries_for_10_and_10000_people(client, ufd_staff, org, ufd_department):
    def fill(n):
        start = Person.objects.count()
        people = Person.objects.bulk_create(
            [
                Person(organisation=org, name=f"人{start + i}", department=ufd_department, phone="13900000000")
                for i in range(n)
            ]
        )
        PersonCategory.objects.bulk_create([PersonCategory(person=p, category=Category.NON_PARTY) for p in people])
        PartyMembership.objects.bulk_create([PartyMembership(person=p, party=Party.MINMENG) for p in people])
        figures_cache.bump(org.pk)  # bulk_create sends no signal: the import bumps the version like this

    client.force_login(ufd_staff)
    counts = []
    for n in (10, 9990):
        fill(n)
        client.get(reverse("people:list"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("people:list"), {"category": Category.NON_PARTY})
        assert response.context["page"].paginator.count == Person.objects.count()
        counts.append(len(queries))
    assert Person.objects.count() == 10000
    assert counts[0] == counts[1]


def test_saved_filter_group_follows_the_registry(client, ufd_staff, org):
    a = make(org, "甲")
    PartyMembership.objects.create(person=a, party=Party.JIUSAN)
    client.force_login(ufd_staff)
    response = client.post(reverse("people:group-save-filter"), {"party": Party.JIUSAN, "name": "九三学社成员"})
    group = Group.objects.get()
    assert response.url == reverse("people:group-detail", args=[group.pk])
    assert (group.kind, group.filter) == (Group.Kind.SAVED, {"party": "jiusan"})
    later = make(org, "乙")
    PartyMembership.objects.create(person=later, party=Party.JIUSAN)
    assert sorted(p.name for p in queries.group_members(group)) == ["乙", "甲"]
    page = client.get(reverse("people:group-detail", args=[group.pk]))
    assert "民主党派：九三学社" in page.content.decode()


def test_saving_an_empty_filter_is_refused(client, ufd_staff):
    client.force_login(ufd_staff)
    client.post(reverse("people:group-save-filter"), {"name": "全部"})
    assert Group.objects.count() == 0


def test_static_group_is_built_by_hand(client, ufd_staff, org, other_org):
    a, b, c = make(org, "甲"), make(org, "乙"), make(org, "丙")
    outsider = PersonFactory(organisation=other_org)
    client.force_login(ufd_staff)
    client.post(reverse("people:groups"), {"name": "座谈会名单"})
    group = Group.objects.get(kind=Group.Kind.STATIC)
    client.post(reverse("people:group-add"), {"group": group.pk, "people": [a.pk, b.pk]})
    assert sorted(p.name for p in queries.group_members(group)) == ["乙", "甲"]
    refused = client.post(reverse("people:group-add"), {"group": group.pk, "people": [outsider.pk]})
    assert refused.status_code == 302 and group.members.count() == 2
    client.post(reverse("people:group-remove", args=[group.pk, b.pk]))
    assert [p.name for p in queries.group_members(group)] == ["甲"]
    assert c not in queries.group_members(group)
    client.post(reverse("people:group-delete", args=[group.pk]))
    assert not Group.objects.exists()
    assert Person.objects.filter(pk=a.pk).exists()


def test_other_organisations_groups_are_404(client, ufd_staff, other_org):
    group = Group.objects.create(organisation=other_org, name="外校")
    client.force_login(ufd_staff)
    assert client.get(reverse("people:group-detail", args=[group.pk])).status_code == 404


def test_related_records_are_added_removed_and_kept_in_history(client, ufd_staff, person):
    client.force_login(ufd_staff)
    url = reverse("people:record-add", args=[person.pk, "party"])
    response = client.post(url, {"party": Party.MINMENG, "join_month": "2010.06", "post": "支部主委"})
    assert response.status_code == 302
    membership = person.party_memberships.get()
    assert membership.join_month == date(2010, 6, 1)
    client.post(
        reverse("people:record-add", args=[person.pk, "study"]),
        {"country_region": "德国", "institution": "慕尼黑工业大学", "start_month": "2012-09", "end_month": "2010-07"},
    )
    assert not person.study_records.exists()  # end before start refused
    client.post(reverse("people:record-remove", args=[person.pk, "party", membership.pk]))
    assert not person.party_memberships.exists()
    history = [h.changes for h in person.history.order_by("at", "id")]
    assert history == [{"民主党派": ["", "民盟"]}, {"民主党派": ["民盟", ""]}]
    body = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "民主党派：民盟 → （空）" in body


def test_publicity_consent_is_given_and_withdrawn_not_deleted(client, ufd_staff, person, org):
    assert not person.has_publicity_consent
    client.force_login(ufd_staff)
    client.post(
        reverse("people:record-add", args=[person.pk, "consent"]), {"given_at": "2026-03-01", "note": "书面同意"}
    )
    person = Person.objects.prefetch_related("consents").get(pk=person.pk)
    assert person.has_publicity_consent
    assert list(queries.people_with_consent(org)) == [person]
    consent = PublicityConsent.objects.get()
    client.post(reverse("people:record-remove", args=[person.pk, "consent", consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert list(queries.people_with_consent(org)) == []


def test_edit_keeps_contact_data_unless_typed_and_records_history(client, ufd_staff, person, liaison):
    phone = person.phone
    client.force_login(ufd_staff)
    form = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert person.phone not in form and person.masked_phone in form
    client.post(
        reverse("people:edit", args=[person.pk]),
        {"name": person.name, "job_title": "副院长", "version": person.version, "assigned_cadres": [liaison.pk]},
    )
    person.refresh_from_db()
    assert (person.job_title, person.phone) == ("副院长", phone)
    change = person.history.first()
    assert change.user == ufd_staff
    assert change.changes["job_title"] == ["", "副院长"]
    assert change.changes["assigned_cadres"] == ["", str(liaison)]
    assert list(person.assigned_cadres.all()) == [liaison]


def test_person_page_is_masked_until_a_purpose_is_given_and_every_view_audited(client, ufd_staff, person):
    client.force_login(ufd_staff)
    body = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.phone not in body and person.email not in body
    no_purpose = client.post(reverse("people:reveal", args=[person.pk]), {"purpose": ""}).content.decode()
    assert person.phone not in no_purpose
    body = client.post(reverse("people:reveal", args=[person.pk]), {"purpose": "通知参加座谈会"}).content.decode()
    assert person.phone in body and person.email in body
    views = AuditEvent.objects.filter(action="view", object_id=str(person.pk)).order_by("id")
    assert [e.changes.get("purpose", "") for e in views] == ["", "", "通知参加座谈会"]


def test_admin_roles_never_reach_personal_data(client, personas, person):
    from orgs.models import Role

    urls = [
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:returned"),
        reverse("people:figures"),
        reverse("people:export"),
        reverse("people:contacts"),
    ]
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        client.force_login(personas[role])
        assert [client.get(u).status_code for u in urls] == [403] * len(urls)
