from django.db import migrations


def fill_name_keys(apps, schema_editor):
    from people.pinyin import name_keys

    Person = apps.get_model("people", "Person")
    people = list(Person.objects.filter(name_initials=""))
    for person in people:
        person.name_initials, person.name_pinyin = name_keys(person.name)
    Person.objects.bulk_update(people, ["name_initials", "name_pinyin"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_assigned_cadres_person_education_and_more")]

    operations = [migrations.RunPython(fill_name_keys, migrations.RunPython.noop)]
