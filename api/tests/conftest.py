import pytest

from integrations import services
from integrations.models import Scope

ALL_SCOPES = list(Scope.values)


@pytest.fixture
def make_token(sysadmin):
    def make(organisation=None, *, scopes=ALL_SCOPES, acts_as=None, name="学校OA"):
        organisation = organisation or sysadmin.membership.organisation
        token, raw = services.create_token(organisation, by=sysadmin, name=name, scopes=scopes, acts_as=acts_as)
        return token, raw

    return make


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
