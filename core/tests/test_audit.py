from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import audit
from core.models import AuditEvent


@pytest.mark.django_db
def test_record_writes_one_line_with_object_and_changes(org, ufd_staff, person):
    event = audit.record("update", user=ufd_staff, organisation=org, obj=person, changes={"name": ["甲", "乙"]})
    assert AuditEvent.objects.count() == 1
    assert (event.username, event.object_type, event.object_id, event.changes) == (
        "ufd",
        "people.person",
        str(person.pk),
        {"name": ["甲", "乙"]},
    )


@pytest.mark.django_db
def test_audit_event_is_append_only(org):
    event = audit.record("login", username="x", organisation=org)
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
    assert AuditEvent.objects.get().action == "login"


@pytest.mark.django_db
def test_purge_keeps_180_days_and_audits_itself(org, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    with mock.patch("core.audit_chain.timezone.now", return_value=now - timedelta(days=181)):
        audit.record("login", username="old", organisation=org)
    with mock.patch("core.audit_chain.timezone.now", return_value=now - timedelta(days=179)):
        audit.record("login", username="recent", organisation=org)

    call_command("purge_audit")

    remaining = set(AuditEvent.objects.values_list("username", "action"))
    assert remaining == {("recent", "login"), ("system", "audit.purge")}
    assert AuditEvent.objects.get(action="audit.purge").changes["deleted"] == 1


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": "1", "b": "2"}, {"a": "1", "b": "3", "c": "4"}) == {"b": ["2", "3"], "c": ["", "4"]}
