"""Issue 10, defect 10: the error pages and the background-job page in English; the pager too."""

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.models import BackgroundJob
from core.tests.english import chinese_outside
from core.tests.english_data import stored_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    """A request in English leaves English active in this thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


ERRORS = {
    "400.html": "Bad request",
    "403.html": "Access denied",
    "404.html": "Page not found",
    "405.html": "Method not allowed",
    "413.html": "Too large",
    "500.html": "Server error",
}


@pytest.mark.parametrize("template, heading", ERRORS.items())
def test_error_pages_in_english(template, heading):
    with translation.override("en"):
        html = render_to_string(template)
    assert chinese_outside(html) == []
    assert f"<h1>{heading}</h1>" in html and "Back to home" in html and '<html lang="en">' in html


@pytest.mark.parametrize("template", ERRORS)
def test_error_pages_are_still_chinese_by_default(template):
    html = render_to_string(template)
    assert "返回首页" in html and '<html lang="zh-hans">' in html


def test_real_403_and_404_in_english(client, member):
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    forbidden = client.get(reverse("accounts:user-list"))
    assert forbidden.status_code == 403
    assert chinese_outside(forbidden) == [] and "Access denied" in forbidden.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert chinese_outside(missing) == [] and "Page not found" in missing.content.decode()


def test_pager_in_english():
    request = RequestFactory().get("/?page=2")
    page = Paginator(list(range(45)), 20).page(2)
    with translation.override("en"):
        html = render_to_string("includes/pager.html", {"page": page, "request": request})
    assert chinese_outside(html) == []
    assert "Page 2 of 3, 45 in all" in html and ">Previous<" in html and ">Next<" in html


def test_job_page_in_english(client, org, ufd_staff):
    job = BackgroundJob.objects.create(
        organisation=org, user=ufd_staff, kind="import", status=BackgroundJob.Status.RUNNING, total=4, progress=1
    )
    client.force_login(ufd_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("core:job-status", args=[job.pk]))
    assert response.status_code == 200
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "Background job" in response.content.decode() and "Running" in response.content.decode()
