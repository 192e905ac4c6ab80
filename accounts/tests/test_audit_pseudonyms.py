"""Issue 11, hole 7: the audit admin saw registry names and diffs. Now it sees "统战对象 #id" and
only which fields changed, unless a security admin approves a look-up of that subject, which
then shows for 24 hours. Every request and decision is audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLookup
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewed(client, ufd_staff, person):
    """UFD staff opened and edited the person's record."""
    client.force_login(ufd_staff)
    client.get(reverse("people:detail", args=[person.pk]))
    from core import audit

    audit.record(
        "update", user=ufd_staff, organisation=person.organisation, obj=person, changes={"name": ["旧名", person.name]}
    )
    client.logout()
    return person


def _log(client, auditor):
    client.force_login(auditor)
    return client.get(reverse("accounts:audit-log")).content.decode()


def test_audit_admin_sees_a_pseudonym_not_the_name(client, auditor, viewed):
    page = _log(client, auditor)
    assert f"统战对象 #{viewed.pk}" in page
    assert viewed.name not in page
    assert "旧名" not in page
    assert "（已隐去）" in page  # it still sees that the name changed
    # The stored row is untouched.
    assert AuditEvent.objects.filter(object_repr=viewed.name).exists()


def test_a_member_acting_shows_as_a_pseudonym(client, auditor, member):
    from core import audit

    audit.record("login", user=member, organisation=member.membership.organisation)
    page = _log(client, auditor)
    assert f"统战成员 #{member.pk}" in page
    assert f"<td>{member.username}</td>" not in page


def test_an_approved_look_up_shows_the_name_for_a_day(client, auditor, secadmin, viewed):
    client.force_login(auditor)
    client.post(
        reverse("accounts:audit-lookups"),
        {"object_type": "people.person", "object_id": str(viewed.pk), "reason": "核查异常导出"},
    )
    lookup = AuditLookup.objects.get()
    assert viewed.name not in _log(client, auditor)  # not before approval

    client.force_login(secadmin)
    assert "核查异常导出" in client.get(reverse("accounts:lookup-requests")).content.decode()
    client.post(reverse("accounts:lookup-decide", args=[lookup.pk]), {"decision": "approve"})
    assert viewed.name in _log(client, auditor)

    AuditLookup.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert viewed.name not in _log(client, auditor)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"audit.lookup.requested", "audit.lookup.approved"} <= actions


def test_the_audit_admin_cannot_approve_its_own_look_up(client, auditor, viewed):
    client.force_login(auditor)
    client.post(
        reverse("accounts:audit-lookups"),
        {"object_type": "people.person", "object_id": str(viewed.pk), "reason": "核查异常导出"},
    )
    lookup = AuditLookup.objects.get()
    assert client.post(reverse("accounts:lookup-decide", args=[lookup.pk]), {"decision": "approve"}).status_code == 403
    assert AuditLookup.objects.get().status == "pending"
