import core.crypto
"""Encryption at rest (issue 11): phone and e-mail of people and the proposed values in change
requests become Fernet tokens (core.crypto); `phone_digest` keeps a keyed hash for lookups."""

import json

from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from core.crypto import field_digest

    Person = apps.get_model("people", "Person")
    for person in Person.objects.only("phone", "email").iterator(chunk_size=1000):
        Person.objects.filter(pk=person.pk).update(
            phone=person.phone, email=person.email, phone_digest=field_digest(person.phone or "")
        )
    ProfileChangeRequest = apps.get_model("people", "ProfileChangeRequest")
    for change in ProfileChangeRequest.objects.only("changes").iterator(chunk_size=1000):
        ProfileChangeRequest.objects.filter(pk=change.pk).update(changes=change.changes)


def decrypt_existing(apps, schema_editor):
    from core.crypto import decrypt, is_token

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, phone, email FROM people_person")
        for pk, phone, email in cursor.fetchall():
            plain = [decrypt(v) if is_token(v) else v for v in (phone, email)]
            cursor.execute("UPDATE people_person SET phone = %s, email = %s WHERE id = %s", [*plain, pk])
        cursor.execute("SELECT id, changes FROM people_profilechangerequest")
        for pk, changes in cursor.fetchall():
            if is_token(changes):
                value = json.loads(decrypt(changes))
                cursor.execute(
                    "UPDATE people_profilechangerequest SET changes = %s WHERE id = %s",
                    [json.dumps(value, ensure_ascii=False), pk],
                )


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_study_order'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='phone_digest',
            field=core.crypto.DigestField(source='phone', verbose_name='手机号检索码'),
        ),
        migrations.AlterField(
            model_name='person',
            name='email',
            field=core.crypto.EncryptedEmailField(blank=True, max_length=254, verbose_name='邮箱'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=core.crypto.EncryptedTextField(blank=True, max_length=20, verbose_name='手机'),
        ),
        migrations.AlterField(
            model_name='profilechangerequest',
            name='changes',
            field=core.crypto.EncryptedJSONField(default=dict, help_text='{字段: [原值, 新值]}', verbose_name='修改内容'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
