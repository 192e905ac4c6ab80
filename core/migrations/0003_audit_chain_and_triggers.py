"""The audit chain (issue 11): seq / prev_hash / hash on every line, chain heads and purge
checkpoints; existing lines are chained in id order; then triggers make the table append-only
(PostgreSQL: a plpgsql trigger; SQLite: triggers and a one-row control table for the purge)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.audit_chain import chain_key, create_triggers, drop_triggers, event_hash


def chain_existing_lines(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    heads = {}
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        key = chain_key(event.organisation_id)
        seq, last_hash = heads.get(key, (0, ""))
        event.seq, event.prev_hash = seq + 1, last_hash
        event.hash = event_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq, prev_hash=event.prev_hash, hash=event.hash)
        heads[key] = (event.seq, event.hash)
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(chain=key, seq=seq, last_hash=last_hash) for key, (seq, last_hash) in heads.items()]
    )


def unchain(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.all().delete()


def triggers(apps, schema_editor):
    create_triggers(schema_editor)


def no_triggers(apps, schema_editor):
    drop_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_backgroundjob'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(max_length=32, unique=True)),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('last_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': '审计链头',
            },
        ),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(db_index=True, max_length=32)),
                ('seq', models.PositiveBigIntegerField()),
                ('last_hash', models.CharField(max_length=64)),
                ('deleted', models.PositiveIntegerField(default=0)),
                ('signature', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': '审计检查点',
                'ordering': ['chain', 'seq'],
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='本条哈希'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64, verbose_name='前一条哈希'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(default=0, verbose_name='链序号'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organisation', verbose_name='组织'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.RunPython(chain_existing_lines, unchain, elidable=False),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('organisation', 'seq'), name='auditevent_chain_seq_unique'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(condition=models.Q(('organisation__isnull', True)), fields=('seq',), name='auditevent_global_seq_unique'),
        ),
        migrations.RunPython(triggers, no_triggers, elidable=False),
    ]
