"""A page view does not write: the session row is saved (its idle expiry renewed) at most every
TONGXIN_SESSION_SEEN_SECONDS, when the activity is noted; the 30-minute idle timeout is in
test_session_idle.py."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def test_page_views_within_the_window_write_nothing(client, ufd_staff, settings):
    settings.SESSION_SEEN_SECONDS = 300
    assert client.post("/accounts/login/", {"username": "ufd", "password": PASSWORD}).status_code == 302
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert writes(captured.captured_queries) == []


def test_after_the_window_one_view_renews_the_session(client, ufd_staff, settings):
    settings.SESSION_SEEN_SECONDS = 300
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        client.post("/accounts/login/", {"username": "ufd", "password": PASSWORD})
    later = start + timedelta(seconds=301)
    with mock.patch("django.utils.timezone.now", return_value=later), CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    written = writes(captured.captured_queries)
    assert any("django_session" in sql for sql in written)
    assert any("accounts_usersession" in sql for sql in written)
