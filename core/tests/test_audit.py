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


@pytest.mark.django_db
def test_log_records_the_objects_own_organisation_unless_told(org, other_org, ufd_staff, person):
    own = audit.log("update", person, by=ufd_staff, changes={"name": ["甲", "乙"]})
    told = audit.log("update", person, by=ufd_staff, organisation=other_org)
    none = audit.log("update", person, by=ufd_staff, organisation=None)

    assert (own.organisation, own.user, own.object_type, own.object_id) == (
        org,
        ufd_staff,
        "people.person",
        str(person.pk),
    )
    assert own.changes == {"name": ["甲", "乙"]}
    assert told.organisation == other_org
    assert none.organisation is None


@pytest.mark.django_db
def test_log_takes_the_organisation_through_the_parent(org, ufd_staff):
    """An account belongs to an organisation through its membership (`audit_organisation`)."""
    from accounts.models import User

    loose = User.objects.create(username="loose")

    assert audit.log("password.change", ufd_staff, by=ufd_staff).organisation == org
    assert audit.log("password.change", loose, by=loose).organisation is None


@pytest.mark.django_db
def test_log_with_a_model_class_records_the_kind_and_no_object(org, ufd_staff):
    from people.models import Person

    event = audit.log("export", Person, by=ufd_staff, changes={"rows": 3}, organisation=org)
    anonymous = audit.log("export", Person, username="命令行")

    assert (event.object_type, event.object_id, event.object_repr, event.organisation) == ("people.person", "", "", org)
    assert (anonymous.organisation, anonymous.user, anonymous.username) == (None, None, "命令行")
