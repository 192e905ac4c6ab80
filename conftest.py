"""Persona fixtures: one user per role in `org`, plus staff of `other_org`."""

import os

import pytest

from orgs.models import Role
from orgs.tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory, UserFactory
from people.tests.factories import PersonFactory

PASSWORD = "Secret-pass-123"

# Playwright's sync API runs an event loop; Django's ORM is used beside it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
