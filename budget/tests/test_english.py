"""The budget in English (issue 10, defect 10): the budget page, a line's page, the line and expense
forms (also refusing an amount) show no Chinese outside user data; in the default language they
stay Chinese. The execution report (.xlsx) is an official document and stays Chinese."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from budget.models import BudgetLine
from core.tests.english_demo import demo_user_data, english_leftovers
from orgs.models import Organisation


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organisation.objects.get(slug="demo")


def _english(client, username):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_budget_pages_in_english(demo, client):
    _english(client, "ufd")
    data = demo_user_data()
    line = BudgetLine.objects.filter(organisation=demo, expenses__isnull=False).distinct().first()

    index = client.get(reverse("budget:index") + f"?year={line.year}")
    assert english_leftovers(index, user_data=data) == []
    html = index.content.decode()
    for text in (f"United Front budget {line.year}", "Spent rate", "By category", "Spending by month (yuan)", "Events"):
        assert text in html

    detail = client.get(reverse("budget:line-detail", args=[line.pk]))
    assert english_leftovers(detail, user_data=data) == []
    for text in ("Record expense", "Payee", "Purpose", "Back to the budget"):
        assert text in detail.content.decode()

    line_form = client.get(reverse("budget:line-create"))
    assert english_leftovers(line_form, user_data=data) == []
    assert "Budget (yuan)" in line_form.content.decode()

    expense_form = client.get(reverse("budget:expense-create", args=[line.pk]))
    assert english_leftovers(expense_form, user_data=data) == []
    for text in ("Date of expense", "Amount (yuan)", "Photo or scan of the invoice or receipt"):
        assert text in expense_form.content.decode()

    refused = client.post(
        reverse("budget:expense-create", args=[line.pk]),
        {"date": f"{line.year}-03-01", "amount": "-5", "payee": "某公司", "description": "茶歇"},
    )
    assert english_leftovers(refused, user_data=[*data, "某公司", "茶歇"], status=400) == []
    assert "Amount must be greater than 0; it cannot be negative or zero." in refused.content.decode()


def test_default_language_is_still_chinese(demo, client):
    client.force_login(User.objects.get(username="ufd"))
    html = client.get(reverse("budget:index")).content.decode()
    assert "添加预算项目" in html
    assert "Add budget line" not in html
