"""The integrations page in English: no Chinese left outside what users typed."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.tests.english import chinese_outside
from core.tests.english_data import stored_texts
from integrations import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_again_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_integrations_page_in_english(client, org, sysadmin, liaison):
    services.create_token(org, by=sysadmin, name="OA", scopes=["plans:read", "plans:write"], acts_as=liaison)
    services.create_endpoint(org, by=sysadmin, name="OA", url="https://oa.example.edu.cn/h", event_types=["event.held"])
    client.force_login(sysadmin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("integrations:token-create"), {"name": "Portal", "scopes": ["events:read"]})
    html = response.content.decode()
    assert chinese_outside(response, user_data=stored_texts()) == []
    assert "Read plans" in html
    assert "Copy it now" in html
