import pytest

from notifications.tests.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r
