import pytest

from conftest import make_user
from orgs.models import Role
from people.tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_member(org):
    """make_member("name") -> a Person with a MEMBER login (usernames st1, st2, ...)."""
    counter = iter(range(1, 10_000))

    def make(name=None, **fields):
        n = next(counter)
        user = make_user(org, Role.MEMBER, f"st{n}")
        return PersonFactory(organisation=org, user=user, name=name or f"学员{n}", **fields)

    return make
