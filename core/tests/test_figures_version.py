"""The organisation's data version (core.figures_cache): one bump per committed transaction that
wrote the organisation's data, whatever path wrote it, none for a rollback or for bookkeeping."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from core import figures_cache
from core.concurrency import bump_version, update_if_unchanged
from notifications.models import Notification
from orgs.models import Organisation
from people import services as people_services
from people.models import Category, ContactRecord, Person, PersonCategory
from people.tests.factories import PersonFactory
from people.tests.test_import_views import GOOD
from people.tests.xlsx import workbook_bytes


def version_of(organisation) -> int:
    return Organisation.objects.get(pk=organisation.pk).data_version


# --- The real path: on commit, once per transaction (transaction=True: the test's writes commit) ---


@pytest.mark.django_db(transaction=True)
def test_many_writes_in_one_transaction_bump_once_after_commit(org):
    before = version_of(org)
    with transaction.atomic():
        people = [PersonFactory(organisation=org, name=f"人{i}") for i in range(3)]
        PersonCategory.objects.create(person=people[0], category=Category.RETURNED_SCHOLAR)
        update_if_unchanged(Person, people[1].pk, people[1].version, name="改名")
        assert version_of(org) == before  # nothing until the commit
    assert version_of(org) == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_bumps_nothing(org):
    before = version_of(org)
    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(organisation=org)
        raise RuntimeError
    assert version_of(org) == before


@pytest.mark.django_db(transaction=True)
def test_a_bump_in_a_rolled_back_savepoint_is_made_again_by_a_later_write(org):
    before = version_of(org)
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            PersonFactory(organisation=org)
            raise RuntimeError
        PersonFactory(organisation=org)
    assert version_of(org) == before + 1


@pytest.mark.django_db(transaction=True)
def test_each_organisation_is_bumped_once_in_a_transaction_writing_both(org, other_org):
    before, other_before = version_of(org), version_of(other_org)
    with transaction.atomic():
        PersonFactory(organisation=org)
        PersonFactory(organisation=other_org)
        PersonFactory(organisation=other_org)
    assert (version_of(org), version_of(other_org)) == (before + 1, other_before + 1)


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_bumps_at_once(org):
    before = version_of(org)
    PersonFactory(organisation=org)
    assert version_of(org) == before + 1


@pytest.mark.django_db(transaction=True)
def test_one_update_writes_bump_once(org):
    person = PersonFactory(organisation=org)
    before = version_of(org)
    with transaction.atomic():
        update_if_unchanged(Person, person.pk, person.version, name="新名")
    assert version_of(org) == before + 1
    with transaction.atomic():
        bump_version(Person, person.pk, phone="13800000000")
    assert version_of(org) == before + 2


@pytest.mark.django_db(transaction=True)
def test_a_service_bulk_create_bumps_once(org, ufd_staff):
    person = PersonFactory(organisation=org)
    before = version_of(org)
    # update_person: a one-UPDATE write and a bulk_create of the categories, in one transaction.
    people_services.update_person(
        person, by=ufd_staff, data={"name": person.name, "categories": [Category.RETURNED_SCHOLAR]}, version=1
    )
    assert PersonCategory.objects.filter(person=person).count() == 1
    assert version_of(org) == before + 1


@pytest.mark.django_db(transaction=True)
def test_an_import_bumps_once_for_its_thousands_of_raw_writes(tmp_path, org, ufd_department):
    path = tmp_path / "people.xlsx"
    path.write_bytes(workbook_bytes(GOOD))
    before = version_of(org)
    call_command("import_people", str(path), "--org", org.slug)
    assert Person.objects.filter(organisation=org).count() == 2
    assert version_of(org) == before + 1


# --- Which rows bump which organisation ---------------------------------------------------------


def test_a_child_row_bumps_its_own_organisation_only(org, other_org, ufd_staff):
    person = PersonFactory(organisation=other_org)
    before, other_before = version_of(org), version_of(other_org)
    ContactRecord.objects.create(person=Person.objects.get(pk=person.pk), date=date(2026, 3, 1), method="talk")
    assert (version_of(org), version_of(other_org)) == (before, other_before + 1)


def test_bookkeeping_bumps_nothing(org, ufd_staff):
    before = version_of(org)
    Notification.objects.create(user=ufd_staff, organisation=org, title="通知")
    assert version_of(org) == before


def test_deleting_a_person_with_many_rows_looks_the_organisation_up_once(org, django_assert_max_num_queries):
    def person_with(contacts: int) -> Person:
        person = PersonFactory(organisation=org)
        for day in range(1, contacts + 1):
            ContactRecord.objects.create(person=person, date=date(2026, 1, day), method="talk")
        return Person.objects.get(pk=person.pk)

    one = person_with(1)
    with transaction.atomic(), django_assert_max_num_queries(100) as few:
        one.delete()
    many = person_with(25)
    with transaction.atomic(), django_assert_max_num_queries(len(few)):
        many.delete()


def test_the_version_of_an_instance_loaded_before_a_write_of_this_process_still_changes(org):
    loaded = Organisation.objects.get(pk=org.pk)
    seen = figures_cache.version(loaded)
    PersonFactory(organisation=org)
    assert figures_cache.version(loaded) != seen


def test_every_model_of_an_organisation_is_watched_but_bookkeeping():
    labels = {model._meta.label for model in figures_cache.data_models()}
    assert {"people.Person", "people.PersonCategory", "plans.Item", "plans.Milestone", "proposals.Proposal"} <= labels
    assert {"events.Event", "events.Registration", "people.ContactRecord", "orgs.Department"} <= labels
    assert not labels & figures_cache.NOT_DATA
    assert "accounts.User" not in labels
