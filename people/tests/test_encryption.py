"""Encryption at rest (issue 11): a dump of the database holds no phone number or e-mail address."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from core import crypto
from people import services
from people.models import Person, ProfileChangeRequest
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "zhang.san@example.edu.cn"


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_a_raw_sql_read_of_the_table_reveals_no_phone_or_email(org):
    person = PersonFactory(organisation=org, name="张三", phone=PHONE, email=EMAIL)

    [(phone, email, digest)] = raw("SELECT phone, email, phone_digest FROM people_person WHERE id = %s", [person.pk])

    dump = f"{phone}|{email}|{digest}"
    assert "1391234" not in dump and "5678" not in dump and "zhang" not in dump and "example" not in dump
    assert phone.startswith("gAAAAA") and email.startswith("gAAAAA")
    # The application still reads the values as before.
    person = Person.objects.get(pk=person.pk)
    assert (person.phone, person.email, person.masked_phone) == (PHONE, EMAIL, "139****5678")


def test_the_same_phone_encrypts_differently_each_time(org):
    a = PersonFactory(organisation=org, phone=PHONE)
    b = PersonFactory(organisation=org, phone=PHONE)
    tokens = dict(raw("SELECT id, phone FROM people_person"))
    assert tokens[a.pk] != tokens[b.pk]


def test_find_a_person_by_phone_through_the_keyed_hash(org, ufd_staff):
    person = services.create_person(org, by=ufd_staff, data={"name": "张三", "phone": PHONE})
    PersonFactory(organisation=org, phone="13800000000")

    assert list(Person.objects.with_phone("139-1234-5678")) == [person]
    assert list(Person.objects.for_org(org).search(PHONE)) == [person]
    # An edit that changes the phone moves the hash with it.
    services.update_person(person, by=ufd_staff, data={"phone": "13700001111"}, version=person.version)
    assert list(Person.objects.with_phone(PHONE)) == []
    assert list(Person.objects.with_phone("13700001111")) == [person]


def test_a_members_proposed_phone_is_encrypted_too(org, member):
    person = member.person
    services.propose_change(person, by=member, changes={"phone": ["", PHONE]})

    [(changes,)] = raw("SELECT changes FROM people_profilechangerequest")

    assert PHONE not in changes and changes.startswith("gAAAAA")
    assert ProfileChangeRequest.objects.get().changes == {"phone": ["", PHONE]}


def test_rotate_keys_moves_every_value_to_the_new_key(org, settings):
    old_key = settings.FIELD_KEYS[0]
    person = PersonFactory(organisation=org, phone=PHONE, email=EMAIL)
    new_key = crypto.generate_key()
    settings.FIELD_KEYS = [new_key, old_key]

    out = StringIO()
    call_command("rotate_keys", stdout=out)

    [(phone, email, digest)] = raw("SELECT phone, email, phone_digest FROM people_person WHERE id = %s", [person.pk])
    assert Fernet(new_key.encode()).decrypt(phone.encode()).decode() == PHONE
    assert Fernet(new_key.encode()).decrypt(email.encode()).decode() == EMAIL
    settings.FIELD_KEYS = [new_key]  # the old key can go now
    assert Person.objects.get(pk=person.pk).phone == PHONE
    assert digest == crypto.field_digest(PHONE)
    assert list(Person.objects.with_phone(PHONE)) == [person]
    assert "重新加密" in out.getvalue()


def test_without_the_key_the_values_cannot_be_read(org, settings):
    PersonFactory(organisation=org, phone=PHONE)
    settings.FIELD_KEYS = [crypto.generate_key()]
    with pytest.raises(RuntimeError, match="无法解密"):
        Person.objects.get().phone  # noqa: B018
