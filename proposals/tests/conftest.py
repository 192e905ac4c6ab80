import pytest

from conftest import make_user
from orgs.models import Role
from orgs.tests.factories import DepartmentFactory
from people.models import Person
from people.tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitter(member):
    return Person.objects.get(user=member)


@pytest.fixture
def support_department(org):
    return DepartmentFactory(organisation=org, name="后勤管理处", short_name="后勤处")


@pytest.fixture
def support_liaison(org, support_department):
    return make_user(org, Role.LIAISON, "support-liaison", [support_department])


@pytest.fixture
def other_liaison(org):
    return make_user(org, Role.LIAISON, "liaison-jwc", [DepartmentFactory(organisation=org, name="教务处")])


@pytest.fixture
def cosigner_user(org):
    user = make_user(org, Role.MEMBER, "cosigner")
    PersonFactory(organisation=org, user=user, name="李联名")
    return user


@pytest.fixture
def other_member(org):
    user = make_user(org, Role.MEMBER, "member-wang")
    PersonFactory(organisation=org, user=user, name="王旁观")
    return user
