"""The audit log speaks Chinese: actions, models, fields and choice values by their names, never
the codes the services record (`login`, `proposals.outsidefiling`, `kind: ['', 'opinion']`)."""

import re

import pytest
from django.urls import reverse

from core import audit
from core.models import AuditEvent


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<td" in row]


@pytest.mark.django_db
def test_audit_log_shows_chinese_names(client, auditor, org, member):
    from proposals.models import FilingKind
    from proposals.tests.factories import make_filing

    filing = make_filing(member.person, kind=FilingKind.OPINION)
    audit.record("login", user=member, organisation=org)
    audit.record("update", user=member, organisation=org, obj=filing, changes={"kind": ["", "opinion"]})
    audit.record("export", user=member, organisation=org, object_type="proposals.proposal", changes={"rows": 3})
    AuditEvent.objects.create(organisation=org, username="member", action="two_factor.enabled")
    client.force_login(auditor)

    html = client.get(reverse("accounts:audit-log")).content.decode()

    rows = _rows(html)
    assert len(rows) == 4
    # newest first: the unknown code, the export, the edit, the login
    assert "two factor · enabled" in rows[0]
    assert "导出" in rows[1] and "建言" in rows[1] and "行数：3" in rows[1]
    assert "修改" in rows[2]
    assert f"履职记录 #{filing.pk}" in rows[2]
    assert "类型：— → 社情民意信息" in rows[2]
    assert "登录" in rows[3]
    for code in (">login<", "proposals.outsidefiling", "proposals.proposal", "opinion", "kind:", "rows"):
        assert code not in html


def test_action_labels_and_fallbacks():
    assert audit.action_label("login.failed") == "登录失败"
    assert audit.action_label("password.change") == "修改密码"
    assert audit.action_label("login.sso") == "统一身份认证登录"
    assert audit.action_label("login.webauthn") == "登录（webauthn）"
    assert audit.action_label("budget.line_closed") == "budget · line closed"


def test_change_lines_use_field_names_and_choice_labels():
    event = AuditEvent(
        action="update",
        object_type="proposals.answer",
        changes={"outcome": ["adopted", "not_adopted"], "text": ["", "已答复"], "purpose": "核对"},
    )

    assert audit.change_lines(event) == [
        ("办理结果", "采纳 → 不予采纳"),
        ("答复内容", "— → 已答复"),
        ("用途", "核对"),
    ]


def test_every_recorded_action_has_a_chinese_label():
    """The one enumeration (`core.audit.ACTIONS`) names every code a module records, so the audit
    log never falls back to a code. A new `audit.record("…")` needs its label there."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    pattern = re.compile(r"""audit\.record\(\s*["']([\w.]+)["']""")
    codes = set()
    ours = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).is_relative_to(settings.BASE_DIR)]
    for folder in ours:
        for path in folder.rglob("*.py"):
            if not {"tests", "migrations"} & set(path.relative_to(folder).parts):
                codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert {"login", "update", "export"} <= codes
    assert codes - set(audit.ACTIONS) == set()
