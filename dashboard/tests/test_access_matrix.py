"""Every URL × every role (and anonymous, and the same role in another organisation).

A URL added to the project fails `test_every_url_is_in_the_matrix` until it is listed here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.matrix import ACCOUNTS_MATRIX, ACCOUNTS_URL_KWARGS, SECURITY_MATRIX, security_url_kwargs
from api.tests.matrix import API_MATRIX, api_url_kwargs
from assessment.tests.matrix import ASSESSMENT_MATRIX, assessment_url_kwargs
from budget.tests.matrix import BUDGET_MATRIX, budget_url_kwargs
from events.tests.matrix import EVENTS_MATRIX, events_url_kwargs
from fiveones.tests.matrix import FIVEONES_MATRIX, fiveones_url_kwargs
from notifications.tests.matrix import NOTIFICATIONS_MATRIX, notifications_url_kwargs
from orgs.models import Role
from plans.tests.matrix import PLANS_MATRIX, plans_url_kwargs
from publicity.tests.matrix import PUBLICITY_MATRIX, publicity_url_kwargs
from reports.tests.matrix import REPORTS_MATRIX
from study.tests.matrix import STUDY_MATRIX, study_url_kwargs

ALL = set(Role)
ANON = "anonymous"

# url name -> (roles allowed, method the view takes on GET: "get" renders, "post" answers 405)
MATRIX = {
    "dashboard:home": (ALL, "get"),
    "accounts:login": ("public", "get"),
    "accounts:logout": ("public", "post"),
    "accounts:password-change": (ALL, "get"),
    "accounts:user-list": ({Role.SYSADMIN}, "get"),
    "accounts:user-create": ({Role.SYSADMIN}, "get"),
    "accounts:user-edit": ({Role.SYSADMIN}, "get"),
    "accounts:user-password": ({Role.SYSADMIN}, "get"),
    "accounts:department-list": ({Role.SYSADMIN}, "get"),
    "accounts:department-create": ({Role.SYSADMIN}, "get"),
    "accounts:department-edit": ({Role.SYSADMIN}, "get"),
    "accounts:role-list": ({Role.SECADMIN}, "get"),
    "accounts:role-edit": ({Role.SECADMIN}, "get"),
    "accounts:unlock": ({Role.SECADMIN}, "post"),
    "accounts:policy": ({Role.SECADMIN}, "get"),
    "accounts:audit-log": ({Role.AUDITADMIN}, "get"),
    "people:list": ({Role.UFD_STAFF}, "get"),
    "people:create": ({Role.UFD_STAFF}, "get"),
    "people:detail": ({Role.UFD_STAFF}, "get"),
    "people:edit": ({Role.UFD_STAFF}, "get"),
    "people:delete": ({Role.UFD_STAFF}, "post"),
    "people:me": ({Role.MEMBER}, "get"),
    "people:me-edit": ({Role.MEMBER}, "get"),
    "people:export": ({Role.UFD_STAFF}, "get"),
    "people:export-download": ({Role.UFD_STAFF}, "get"),
    "people:reveal": ({Role.UFD_STAFF}, "post"),
    "people:record-add": ({Role.UFD_STAFF}, "get"),
    "people:record-remove": ({Role.UFD_STAFF}, "post"),
    # Liaisons may record contacts only for people assigned to them (403 for anyone else).
    "people:contact-create": ({Role.UFD_STAFF}, "get"),
    "people:contact-outcome": ({Role.UFD_STAFF}, "get"),
    "people:contacts": ({Role.UFD_STAFF, Role.LIAISON}, "get"),
    "people:returned": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "people:returned-export": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "people:figures": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "people:import": ({Role.UFD_STAFF}, "get"),
    "people:import-confirm": ({Role.UFD_STAFF}, "post"),
    "people:import-template": ({Role.UFD_STAFF}, "get"),
    "people:groups": ({Role.UFD_STAFF}, "get"),
    "people:group-save-filter": ({Role.UFD_STAFF}, "post"),
    "people:group-add": ({Role.UFD_STAFF}, "post"),
    "people:group-detail": ({Role.UFD_STAFF}, "get"),
    "people:group-delete": ({Role.UFD_STAFF}, "post"),
    "people:group-remove": ({Role.UFD_STAFF}, "post"),
    "people:changes": ({Role.UFD_STAFF}, "get"),
    "people:change-review": ({Role.UFD_STAFF}, "post"),
    "proposals:inbox": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "proposals:export-xlsx": ({Role.UFD_STAFF}, "get"),
    "proposals:staff-new": ({Role.UFD_STAFF}, "get"),
    "proposals:supervision": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "proposals:figures": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "proposals:detail": ({Role.UFD_STAFF, Role.LEADER}, "get"),
    "proposals:export-docx": ({Role.UFD_STAFF}, "get"),
    "proposals:templates": ({Role.UFD_STAFF}, "get"),
    "proposals:template-new": ({Role.UFD_STAFF}, "get"),
    "proposals:template-edit": ({Role.UFD_STAFF}, "get"),
    "proposals:template-delete": ({Role.UFD_STAFF}, "post"),
    # Every workflow step; the transitions table in proposals/services.py decides per role and status.
    "proposals:act": ({Role.UFD_STAFF, Role.LIAISON, Role.MEMBER}, "post"),
    "proposals:attachment": ({Role.UFD_STAFF, Role.LEADER, Role.LIAISON, Role.MEMBER}, "get"),
    "proposals:assigned": ({Role.LIAISON}, "get"),
    "proposals:handle": ({Role.LIAISON}, "get"),
    "proposals:mine": ({Role.MEMBER}, "get"),
    "proposals:my-detail": ({Role.MEMBER}, "get"),
    "proposals:new": ({Role.MEMBER}, "get"),
    "proposals:edit": ({Role.MEMBER}, "get"),
    "proposals:published": ({Role.MEMBER}, "get"),
    "proposals:outside-list": ({Role.UFD_STAFF}, "get"),
    "proposals:outside-export": ({Role.UFD_STAFF}, "get"),
    "proposals:outside-detail": ({Role.UFD_STAFF}, "get"),
    "proposals:outside-verify": ({Role.UFD_STAFF}, "post"),
    "proposals:outside-mine": ({Role.MEMBER}, "get"),
    "proposals:outside-new": ({Role.MEMBER}, "get"),
    "proposals:outside-edit": ({Role.MEMBER}, "get"),
    "proposals:outside-file": ({Role.UFD_STAFF, Role.MEMBER}, "get"),
    "set_language": ("public", "redirect"),
    # Only the job's owner (a UFD staff user of `org`) sees it; everybody else gets 404.
    "core:job-status": ("owner", "get"),
    **PLANS_MATRIX,
    **EVENTS_MATRIX,
    **NOTIFICATIONS_MATRIX,
    **PUBLICITY_MATRIX,
    **FIVEONES_MATRIX,
    **STUDY_MATRIX,
    **SECURITY_MATRIX,
    **ASSESSMENT_MATRIX,
    **BUDGET_MATRIX,
    **REPORTS_MATRIX,
    **ACCOUNTS_MATRIX,
    **API_MATRIX,
}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the access matrix"
    assert set(MATRIX) - names == set(), "these matrix entries have no URL any more"


@pytest.fixture
def url_kwargs(personas, ufd_department, person, org, settings, tmp_path):
    """Objects of `org` that the object URLs point at."""
    settings.MEDIA_ROOT = tmp_path
    from core.jobs import create_job
    from notifications.models import Notification
    from people.tests.matrix import people_url_kwargs
    from proposals.tests.factories import proposal_url_kwargs

    job = create_job("测试", user=personas[Role.UFD_STAFF], organisation=org)
    note = Notification.objects.create(user=personas[Role.MEMBER], organisation=org, title="t")
    return {
        "core:job-status": {"pk": job.pk},
        "notifications:open": {"pk": note.pk},
        "accounts:user-edit": {"pk": personas[Role.MEMBER].pk},
        "accounts:user-password": {"pk": personas[Role.MEMBER].pk},
        "accounts:role-edit": {"pk": personas[Role.MEMBER].pk},
        "accounts:department-edit": {"pk": ufd_department.pk},
        "people:detail": {"pk": person.pk},
        "people:edit": {"pk": person.pk},
        "people:delete": {"pk": person.pk},
        **people_url_kwargs(person, personas),
        **proposal_url_kwargs(org, personas),
        **plans_url_kwargs(org, personas, ufd_department),
        **events_url_kwargs(org, personas),
        **notifications_url_kwargs(org, personas),
        **publicity_url_kwargs(org, personas),
        **fiveones_url_kwargs(org, personas),
        **study_url_kwargs(org, personas),
        **security_url_kwargs(personas),
        **assessment_url_kwargs(org, personas),
        **budget_url_kwargs(org, personas),
        **ACCOUNTS_URL_KWARGS,
        **api_url_kwargs(org, personas),
    }


def _expected(name, who, *, other_org=False, object_url=False):
    allowed, method = MATRIX[name]
    if method == "redirect":
        return 302
    if allowed == "anyone":  # the API ignores sessions: one status for everyone
        return method
    if allowed == "owner":
        if who == ANON:
            return 302
        return 200 if (who == Role.UFD_STAFF and not other_org) else 404
    if allowed == "public":
        return 405 if method == "post" else (302 if who != ANON and name == "accounts:login" else 200)
    if who == ANON:
        return 302
    if who not in allowed:
        return 403
    if method == "post":
        return 405
    if other_org and object_url:
        return 404
    return 200


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_every_role(client, name, personas, other_personas, url_kwargs):
    url = reverse(name, kwargs=url_kwargs.get(name))
    object_url = name in url_kwargs
    results, expected = {}, {}

    response = client.get(url)
    results[ANON], expected[ANON] = response.status_code, _expected(name, ANON)
    for role, user in personas.items():
        client.force_login(user)
        results[role] = client.get(url).status_code
        expected[role] = _expected(name, role)
    for role, user in other_personas.items():
        client.force_login(user)
        results[f"other:{role}"] = client.get(url).status_code
        expected[f"other:{role}"] = _expected(name, role, other_org=True, object_url=object_url)
    client.logout()
    assert results == expected


def test_anonymous_is_sent_to_login(client, person):
    response = client.get(reverse("people:detail", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["people:edit", "accounts:department-edit", "accounts:user-edit"])
def test_other_org_post_changes_nothing(client, name, url_kwargs, other_personas, person, ufd_department, personas):
    role = MATRIX[name][0]
    user = other_personas[next(iter(role))]
    client.force_login(user)
    url = reverse(name, kwargs=url_kwargs[name])
    response = client.post(url, {"name": "篡改", "sort_order": 1, "version": 1})
    assert response.status_code == 404
    person.refresh_from_db()
    ufd_department.refresh_from_db()
    personas[Role.MEMBER].refresh_from_db()
    assert "篡改" not in (person.name, ufd_department.name, personas[Role.MEMBER].name)
