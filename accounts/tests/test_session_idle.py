"""Sessions end after 30 idle minutes (measured by the clock, not by reading a setting), and
passwords are stored with the production Argon2 hasher."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.utils import timezone

from conftest import PASSWORD

HOME = "/"


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.django_db
def test_session_survives_29_idle_minutes_and_ends_after_31(client, ufd_staff):
    start = timezone.now()
    with _at(start):
        assert client.post("/accounts/login/", {"username": "ufd", "password": PASSWORD}).status_code == 302
        assert client.get(HOME).status_code == 200
    # Each request renews the idle timer: 29 minutes later, then 29 more, still logged in.
    with _at(start + timedelta(minutes=29)):
        assert client.get(HOME).status_code == 200
    with _at(start + timedelta(minutes=58)):
        assert client.get(HOME).status_code == 200
    # 31 minutes without a request: the next one is sent to the login page.
    with _at(start + timedelta(minutes=58 + 31)):
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_passwords_hash_and_check_with_argon2(settings):
    # The suite swaps in a fast hasher; put the production list back for this one test.
    from tongxin import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("Correct-horse-9")
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password("Correct-horse-9", encoded) is True
    assert check_password("Correct-horse-8", encoded) is False
