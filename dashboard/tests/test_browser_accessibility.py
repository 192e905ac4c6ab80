"""Accessibility check (issue 12): axe-core (npm registry, pinned in package-lock.json, served from
node_modules, never a CDN) runs on each main page, as each role sees it, and finds no violation of
impact "serious" or "critical". Each page also has exactly one <h1>, and its first Tab stop is the skip
link to #main. One browser context per role keeps the whole run short.

Run: .venv/bin/pytest -q -p no:cacheprovider -m browser dashboard/tests/test_browser_accessibility.py"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import log_in, shot
from dashboard.tests.test_home_pages import build_liaison_world, build_member_world, build_staff_world
from events.models import Event, Invitation
from orgs.tests.factories import DepartmentFactory
from people.models import Person
from plans.models import Item, Plan
from proposals.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary.replace(/\\s+/g, " "))
  }));
}"""


@pytest.fixture
def session(browser):
    """A browser context per role. The CSP forbids inline and foreign scripts: the context bypasses
    it so that axe (read from node_modules) can be injected; the pages themselves are unchanged."""
    contexts = []

    def open_session(viewport=DESKTOP):
        extra = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
        context = browser.new_context(locale="zh-CN", viewport=viewport, bypass_csp=True, **extra)
        contexts.append(context)
        return context.new_page()

    yield open_session
    for context in contexts:
        context.close()


def audit(page, base: str, path: str, name: str) -> list[str]:
    """Open the page, run axe; return the problems found (empty when the page passes)."""
    response = page.goto(base + path)
    assert response.status == 200, f"{name}: {path} answered {response.status}"
    page.add_script_tag(path=str(AXE))
    problems = [
        f"{name} ({path}): [{v['impact']}] {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"])
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING
    ]
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{name} ({path}): {headings} <h1> elements, expected exactly one")
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    if first != ["skip-link", "#main"] and page.locator("#main").count():
        problems.append(f"{name} ({path}): the first Tab stop is {json.dumps(first)}, not the skip link to #main")
    page.evaluate("document.activeElement.blur()")  # screenshots show the page as it first looks
    return problems


@pytest.fixture
def world(org, ufd_staff, liaison, member, leader, sysadmin, secadmin, auditor, ufd_department, student_department):
    build_staff_world(org, ufd_staff, ufd_department)
    build_liaison_world(org, student_department, DepartmentFactory(organisation=org, name="教务处"))
    build_member_world(org, member.person)
    public = Event.objects.filter(organisation=org).first()
    public.public_signup = True
    public.save(update_fields=["public_signup"])
    return {
        "plan": Plan.objects.filter(organisation=org, status=Plan.Status.PUBLISHED).first(),
        "item": Item.objects.filter(section__plan__organisation=org, lead_department=ufd_department).first(),
        "liaison_item": Item.objects.filter(lead_department=student_department).first(),
        "person": Person.objects.filter(organisation=org).exclude(user=member).first(),
        "event": Event.objects.filter(organisation=org).first(),
        "invited": Invitation.objects.filter(person=member.person).first().event,
        "proposal": Proposal.objects.filter(organisation=org, status="submitted")
        .exclude(submitter=member.person)
        .first(),
        "public": public,
    }


def test_main_pages_have_no_serious_accessibility_violations(live_server, session, world):
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci installs it from package-lock.json)"
    base = live_server.url
    problems = []

    # Signed out: the login page and the public sign-up page of an event.
    page = session()
    problems += audit(page, base, reverse("accounts:login"), "login")
    problems += audit(page, base, reverse("events:public-signup", args=[world["public"].public_token]), "sign-up")

    # 统战部干部: its home, the plan tree, an item, 督办, the registry, a person, events, suggestions.
    log_in(page, base, "ufd")
    for name, path in (
        ("staff home", reverse("dashboard:home")),
        ("plan tree", reverse("plans:detail", args=[world["plan"].pk])),
        ("item", reverse("plans:item-detail", args=[world["item"].pk])),
        ("督办", reverse("plans:supervision")),
        ("registry", reverse("people:list")),
        ("person", reverse("people:detail", args=[world["person"].pk])),
        ("events", reverse("events:list")),
        ("event", reverse("events:detail", args=[world["event"].pk])),
        ("suggestions inbox", reverse("proposals:inbox")),
        ("suggestion", reverse("proposals:detail", args=[world["proposal"].pk])),
    ):
        problems += audit(page, base, path, name)
        if name in ("person", "督办", "event"):
            shot(page, f"a11y-{name}-1280")
    page.set_viewport_size(PHONE)  # the staff pages also work on a phone
    for name, path in (
        ("person", reverse("people:detail", args=[world["person"].pk])),
        ("督办", reverse("plans:supervision")),
    ):
        page.goto(base + path)
        shot(page, f"a11y-{name}-375")

    # 部门联络员: its home, 本部门任务, one of its items.
    page = session()
    log_in(page, base, "liaison")
    problems += audit(page, base, reverse("dashboard:home"), "liaison home")
    problems += audit(page, base, reverse("plans:my-department"), "本部门任务")
    problems += audit(page, base, reverse("plans:item-detail", args=[world["liaison_item"].pk]), "liaison item")

    # 校领导 and the three administrators: their homes.
    for username in ("leader", "sysadmin", "secadmin", "auditor"):
        page = session()
        log_in(page, base, username)
        problems += audit(page, base, reverse("dashboard:home"), f"{username} home")

    # 统战对象 on a phone (375 px): the member pages.
    page = session(PHONE)
    log_in(page, base, "member")
    for name, path in (
        ("member home", reverse("dashboard:home")),
        ("member events", reverse("events:m-list")),
        ("member event", reverse("events:m-detail", args=[world["invited"].pk])),
        ("member suggestions", reverse("proposals:mine")),
        ("member study", reverse("study:m-list")),
        ("member profile", reverse("people:me")),
        ("member notices", reverse("notifications:list")),
    ):
        problems += audit(page, base, path, name)
        shot(page, f"a11y-{name.replace(' ', '-')}-375")

    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)


def test_the_skip_link_is_hidden_until_focused(live_server, session, ufd_staff):
    page = session()
    log_in(page, live_server.url, "ufd")
    link = page.locator("a.skip-link")
    assert link.inner_text() == "跳到主要内容"
    box = link.bounding_box()
    assert box["y"] + box["height"] <= 0, "the skip link shows before it has focus"
    page.keyboard.press("Tab")
    box = link.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the focused skip link is on screen"
    shot(page, "a11y-skip-link-1280")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next Tab stop after following the link is inside the main content
    assert page.evaluate("document.activeElement.closest('#main') !== null")
