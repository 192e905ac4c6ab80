"""A refused request is logged as one line, without a traceback (issue 10, defect 15)."""

import logging

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_403_logs_one_line_without_traceback(client, member, caplog):
    client.force_login(member)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("plans:supervision"))
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    record = refusals[0]
    assert record.exc_info is None
    assert record.getMessage() == "Forbidden: GET /plans/supervision/ (user member)"
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_other_errors_keep_their_traceback(caplog):
    """Only 403s are shortened: a 500's record keeps its exception."""
    from core.log import OneLineRefusals

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), sys.exc_info()
        )
    record.status_code = 500
    assert OneLineRefusals().filter(record) is True
    assert record.exc_info is not None
