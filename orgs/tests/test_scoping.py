"""The abstract organisation-scoped record: `for_org` scoping, the optimistic-locking version,
created/updated times. Exercised through one concrete subclass (people's Group)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.concurrency import StaleEdit, bump_version, update_if_unchanged
from orgs.models import OrgScopedModel
from orgs.tests.factories import OrganisationFactory
from people.models import ContactRecord, Group
from people.tests.factories import PersonFactory


@pytest.fixture
def colleges(db):
    return OrganisationFactory(name="甲学院", slug="jia"), OrganisationFactory(name="乙学院", slug="yi")


def test_for_org_returns_only_that_organisations_rows(colleges):
    jia, yi = colleges
    mine = Group.objects.create(organisation=jia, name="民盟")
    Group.objects.create(organisation=yi, name="民盟")
    assert list(Group.objects.for_org(jia)) == [mine]
    assert list(Group.objects.filter(name="民盟").for_org(jia)) == [mine]


def test_for_org_follows_a_relation_when_the_queryset_names_one(colleges):
    # Contact records have no organisation of their own: they reach it through the person.
    jia, yi = colleges
    day = date(2026, 3, 1)
    mine = ContactRecord.objects.create(person=PersonFactory(organisation=jia), date=day, met_by="王", method="talk")
    ContactRecord.objects.create(person=PersonFactory(organisation=yi), date=day, met_by="李", method="talk")
    assert list(ContactRecord.objects.for_org(jia)) == [mine]


def test_a_new_record_starts_at_version_one_with_both_times_set(colleges):
    before = timezone.now()
    group = Group.objects.create(organisation=colleges[0], name="九三")
    assert group.version == 1
    assert before <= group.created_at <= timezone.now()
    assert before <= group.updated_at <= timezone.now()


def test_update_if_unchanged_bumps_the_version_and_the_update_time(colleges):
    group = Group.objects.create(organisation=colleges[0], name="九三")
    Group.objects.filter(pk=group.pk).update(updated_at=timezone.now() - timedelta(days=2))
    update_if_unchanged(Group, group.pk, 1, name="九三学社")
    group.refresh_from_db()
    assert (group.name, group.version) == ("九三学社", 2)
    assert timezone.now() - group.updated_at < timedelta(minutes=1)
    assert timezone.now() - group.created_at < timedelta(minutes=1)  # created stays as it was


def test_a_stale_version_is_refused_and_nothing_is_written(colleges):
    group = Group.objects.create(organisation=colleges[0], name="九三")
    update_if_unchanged(Group, group.pk, 1, name="第一次")
    with pytest.raises(StaleEdit):
        update_if_unchanged(Group, group.pk, 1, name="第二次")
    group.refresh_from_db()
    assert (group.name, group.version) == ("第一次", 2)


def test_a_status_change_makes_an_edit_begun_before_it_stale(colleges):
    group = Group.objects.create(organisation=colleges[0], name="九三")
    bump_version(Group, group.pk, kind=Group.Kind.SAVED)
    with pytest.raises(StaleEdit):
        update_if_unchanged(Group, group.pk, 1, name="改名")
    group.refresh_from_db()
    assert (group.name, group.kind, group.version) == ("九三", Group.Kind.SAVED, 2)


def test_the_scoped_models_share_the_fields():
    from django.apps import apps

    scoped = [m for m in apps.get_models() if issubclass(m, OrgScopedModel)]
    assert len(scoped) >= 10
    for model in scoped:
        names = {f.name for f in model._meta.concrete_fields}
        assert {"organisation", "version", "created_at", "updated_at"} <= names, model
        assert hasattr(model.objects, "for_org"), model
