"""The item owner (责任人) is an account of the lead department's staff, not a registry person.
Owners already chosen keep their account when their registry entry has one; else they are cleared."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_owner_accounts(apps, schema_editor):
    Item = apps.get_model("plans", "Item")
    for pk, user_id in Item.objects.filter(owner__user__isnull=False).values_list("pk", "owner__user_id"):
        Item.objects.filter(pk=pk).update(owner_account_id=user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_item_targets_met"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="owner_account",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(copy_owner_accounts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="item", name="owner"),
        migrations.RenameField(model_name="item", old_name="owner_account", new_name="owner"),
        migrations.AlterField(
            model_name="item",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="owned_items",
                to=settings.AUTH_USER_MODEL,
                verbose_name="责任人",
            ),
        ),
    ]
