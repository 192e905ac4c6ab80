"""The audit admin exports the organisation's audit lines (.xlsx) with the chain columns (issue 11)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import audit
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_auditor_exports_the_log_with_the_chain(client, auditor, org, other_org):
    first = audit.record("login", username="ufd", organisation=org)
    second = audit.record("update", username="ufd", organisation=org, changes={"职务": ["讲师", "副教授"]})
    audit.record("login", username="someone-else", organisation=other_org)
    client.force_login(auditor)

    response = client.get(reverse("accounts:audit-export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[2]
    assert header[-4:] == ["审计链", "链序号", "前一条哈希", "本条哈希"]
    body = rows[3:]
    assert [(r[1], r[2], r[10], r[11], r[12]) for r in body] == [
        ("ufd", "login", 1, None, first.hash),
        ("ufd", "update", 2, first.hash, second.hash),
    ]
    assert body[1][6] == '{"职务": ["讲师", "副教授"]}'
    assert {r[9] for r in body} == {f"org:{org.pk}"}
    # The export is itself audited.
    event = AuditEvent.objects.get(action="export", object_type="core.auditevent")
    assert (event.user, event.changes["rows"]) == (auditor, 2)


def test_the_export_follows_the_log_filters(client, auditor, org):
    audit.record("login", username="ufd", organisation=org)
    audit.record("logout", username="ufd", organisation=org)
    client.force_login(auditor)
    response = client.get(reverse("accounts:audit-export"), {"action": "logout"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[2].value for row in sheet.iter_rows(min_row=4)] == ["logout"]
