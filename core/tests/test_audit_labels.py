"""The audit log speaks Chinese: actions, models, fields and choice values by their names, never
the codes the services record (`login`, `proposals.outsidefiling`, `kind: ['', 'opinion']`)."""

import ast
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


def _codes(node, assigned: dict) -> set[str] | None:
    """The codes an action argument can take: a string literal, either side of a conditional, or a
    local name's assigned values; None for anything else (a code this scan cannot see)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body, assigned), _codes(node.orelse, assigned)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Name) and node.id in assigned:
        values = [_codes(value, {}) for value in assigned[node.id]]
        return None if None in values else set().union(*values)
    return None


def _is_audit_call(node, bare: bool) -> bool:
    """`audit.log(…)`, `audit.record(…)`; in core/audit.py itself (`bare`) also `log(…)`, `record(…)`."""
    if not isinstance(node, ast.Call):
        return False
    if bare and isinstance(node.func, ast.Name):
        return node.func.id in ("log", "record")
    return (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("log", "record")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _recorded_codes(source: str, where: str, bare: bool = False) -> set[str]:
    """The action codes of every `audit.log(…)` / `audit.record(…)` call in `source` (each call is
    read in its innermost function, where a local `action = …` is found)."""
    tree = ast.parse(source)
    codes, done = set(), set()
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for scope in [*sorted(scopes, key=lambda n: -n.lineno), tree]:  # inner functions before outer
        assigned: dict[str, list] = {}
        parameters = {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)} if scope is not tree else set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(scope):
            if _is_audit_call(node, bare) and id(node) not in done:
                done.add(id(node))
                forwarded = bare and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in parameters
                if forwarded:  # `log` handing its `action` to `record`
                    continue
                found = _codes(node.args[0], assigned) if node.args else None
                assert found, f"{where}:{node.lineno}: pass the action code as a literal (or a local set from one)"
                codes |= found
    return codes


def test_the_scan_reads_every_form_of_call():
    source = """
def f(approve, created, code):
    audit.log("export", obj, changes={"note": "not a code"})
    audit.record("login", user=user)
    audit.log("create" if created else "update", obj)
    action = "lookup.approved" if approve else "lookup.rejected"
    audit.log(action, obj)
"""
    assert _recorded_codes(source, "f.py") == {
        "export",
        "login",
        "create",
        "update",
        "lookup.approved",
        "lookup.rejected",
    }
    with pytest.raises(AssertionError, match=r"f\.py:2: pass the action code"):
        _recorded_codes("def g(code):\n    audit.log(code, obj)\n", "f.py")


def test_every_recorded_action_has_a_chinese_label():
    """The one enumeration (`core.audit.ACTIONS`) names every code a module records, so the audit
    log never falls back to a code. A new `audit.log("…")` needs its label there. Scans the source
    of every app of the project (not its tests and migrations)."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    codes = set()
    ours = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).is_relative_to(settings.BASE_DIR)]
    for folder in ours:
        for path in folder.rglob("*.py"):
            if not {"tests", "migrations"} & set(path.relative_to(folder).parts):
                codes |= _recorded_codes(path.read_text(encoding="utf-8"), str(path), bare=path.match("core/audit.py"))
    assert {"login", "update", "export", "session.end", "password.reset.approved", "audit.purge"} <= codes
    assert codes - set(audit.ACTIONS) == set()
