"""Persona fixtures: one user per role in `org`, plus staff of `other_org`."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from orgs.models import Role
from orgs.tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory, UserFactory
from people.tests.factories import PersonFactory

PASSWORD = "Secret-pass-123"

# Playwright's sync API runs an event loop; Django's ORM is used beside it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _allow_flush_of_audit_log():
    """The audit log refuses DELETE/TRUNCATE in the database (core.audit_chain triggers). Test
    teardown flushes every table: open the purge path inside the flush transaction, as the
    retention purge does."""
    from importlib import import_module

    from core.audit_chain import purge_sql

    for backend in ("sqlite3", "postgresql"):
        operations = import_module(f"django.db.backends.{backend}.base").DatabaseWrapper.ops_class
        original = operations.sql_flush

        def sql_flush(self, style, tables, *args, _original=original, **kwargs):
            statements = _original(self, style, tables, *args, **kwargs)
            if "core_auditevent" not in tables:
                return statements
            vendor = self.connection.vendor
            return [purge_sql(vendor, on=True), *statements, purge_sql(vendor, on=False)]

        operations.sql_flush = sql_flush


_allow_flush_of_audit_log()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English on in the test's thread: every test starts and ends in
    the default language, so tests expecting Chinese never depend on the order they run in."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (core.figures_cache) never outlive a test: each test's database is new."""
    from core import figures_cache

    figures_cache.forget()
    yield
    figures_cache.forget()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    return OrganisationFactory(name="示例职业技术学院", slug="demo-test")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="另一所学院", slug="other")


@pytest.fixture
def ufd_department(org):
    return DepartmentFactory(organisation=org, name="党委统战部", short_name="统战部")


@pytest.fixture
def student_department(org):
    return DepartmentFactory(organisation=org, name="学生工作处", short_name="学工处")


def make_user(organisation, role, username, departments=()):
    membership = MembershipFactory(organisation=organisation, role=role, user__username=username)
    membership.departments.set(departments)
    return membership.user


@pytest.fixture
def ufd_staff(org, ufd_department):
    return make_user(org, Role.UFD_STAFF, "ufd")


@pytest.fixture
def liaison(org, student_department):
    return make_user(org, Role.LIAISON, "liaison", [student_department])


@pytest.fixture
def member(org):
    user = make_user(org, Role.MEMBER, "member")
    PersonFactory(organisation=org, user=user, name="张建言")
    return user


@pytest.fixture
def leader(org):
    return make_user(org, Role.LEADER, "leader")


@pytest.fixture
def sysadmin(org):
    return make_user(org, Role.SYSADMIN, "sysadmin")


@pytest.fixture
def secadmin(org):
    return make_user(org, Role.SECADMIN, "secadmin")


@pytest.fixture
def auditor(org):
    return make_user(org, Role.AUDITADMIN, "auditor")


@pytest.fixture
def personas(ufd_staff, liaison, member, leader, sysadmin, secadmin, auditor):
    return {
        Role.UFD_STAFF: ufd_staff,
        Role.LIAISON: liaison,
        Role.MEMBER: member,
        Role.LEADER: leader,
        Role.SYSADMIN: sysadmin,
        Role.SECADMIN: secadmin,
        Role.AUDITADMIN: auditor,
    }


@pytest.fixture
def other_personas(other_org):
    """One user per role in another organisation."""
    DepartmentFactory(organisation=other_org, name="党委统战部")
    return {role: make_user(other_org, role, f"other-{role.value}") for role in Role}


@pytest.fixture
def person(org, ufd_department):
    return PersonFactory(organisation=org, name="李明", department=ufd_department)


@pytest.fixture
def user_factory():
    return UserFactory


# --- Browser tests (Playwright driving Debian's Chromium) ---------------------------------
# Mark a module `pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]`
# and use the `page` (1280x800) or `phone` (375x740) fixture with `live_server`.

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def submit(page, selector):
    """Click a button that posts a form and wait for the page it leads to (so that what the test
    reads next is the new page, not the old one)."""
    with page.expect_navigation():
        page.click(selector)


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "button[type=submit]")


def pytest_collection_modifyitems(items):
    """schemathesis names each API operation's test `test_…[GET /api/v1/…]` but gives all of them one
    node id; pytest-xdist schedules tests by node id and would run just one: each gets its own."""
    for item in items:
        if "[" in item.name and "[" not in item.nodeid:  # pytest 9 keeps a node id as a NodeId
            item._id = item._id.with_params(item.name[item.name.index("[") + 1 : -1])
