"""Stale-edit protection (core.concurrency) of budget lines and expenses: two edits started from the
same version — the first is saved, the second gets 409 with its input kept and nothing of it saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget.models import BudgetLine, Expense
from budget.tests.matrix import PNG
from budget.tests.test_budget import YEAR, line, spend
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

STALE = "已被他人修改"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def line_post(version, **values):
    data = {"category": "activities", "name": "座谈会经费", "amount": "1000.00", "note": "", "version": version}
    return data | values


def test_line_edit_form_carries_the_version(client, org, ufd_staff):
    budget = line(org)
    client.force_login(ufd_staff)
    page = client.get(reverse("budget:line-edit", args=[budget.pk])).content.decode()
    assert 'type="hidden" name="version" value="1"' in page


def test_two_edits_of_a_line_from_the_same_version(client, org, ufd_staff):
    budget = line(org, "1000.00")
    url = reverse("budget:line-edit", args=[budget.pk])
    client.force_login(ufd_staff)
    opened = 1  # both staff opened the edit page when the line was at version 1

    first = client.post(url, line_post(opened, amount="1200.00", note="追加预算"))
    assert first.status_code == 302
    second = client.post(url, line_post(opened, name="座谈会与调研经费", amount="900.50", note="压缩开支"))

    assert second.status_code == 409
    page = second.content.decode()
    assert STALE in page and "此预算项目" in page
    assert 'value="座谈会与调研经费"' in page and 'value="900.50"' in page  # the input is kept
    saved = BudgetLine.objects.get(pk=budget.pk)
    assert (saved.name, saved.amount, saved.note, saved.version) == ("座谈会经费", Decimal("1200.00"), "追加预算", 2)
    assert AuditEvent.objects.filter(action="update", object_type="budget.budgetline").count() == 1


def test_line_edit_from_the_current_version_after_a_refusal_saves(client, org, ufd_staff):
    budget = line(org)
    url = reverse("budget:line-edit", args=[budget.pk])
    client.force_login(ufd_staff)
    client.post(url, line_post(1, amount="1200.00"))
    assert client.post(url, line_post(1, amount="900.00")).status_code == 409
    assert client.post(url, line_post(2, amount="900.00")).status_code == 302  # reloaded, then saved
    assert BudgetLine.objects.get(pk=budget.pk).amount == Decimal("900.00")


def test_line_edit_without_a_version_is_refused(client, org, ufd_staff):
    budget = line(org)
    client.force_login(ufd_staff)
    data = line_post(1, amount="5.00")
    del data["version"]
    assert client.post(reverse("budget:line-edit", args=[budget.pk]), data).status_code == 400
    assert BudgetLine.objects.get(pk=budget.pk).amount == Decimal("1000.00")


def expense_post(version, **values):
    data = {
        "date": f"{YEAR}-03-01",
        "amount": "120.00",
        "payee": "文印店",
        "description": "印刷",
        "event": "",
        "item": "",
        "version": version,
    }
    return data | values


def test_two_edits_of_an_expense_from_the_same_version(client, org, ufd_staff):
    budget = line(org, "1000.00")
    expense = spend(budget, "120.00")
    receipt_before = Expense.objects.get(pk=expense.pk).receipt.name
    url = reverse("budget:expense-edit", args=[expense.pk])
    client.force_login(ufd_staff)
    page = client.get(url).content.decode()
    assert 'type="hidden" name="version" value="1"' in page and 'value="120.00"' in page

    first = client.post(url, expense_post(1, amount="150.00", payee="学院印刷厂"))
    assert first.status_code == 302
    new_receipt = SimpleUploadedFile("新票据.png", PNG, content_type="image/png")
    second = client.post(
        url, expense_post(1, amount="99.90", payee="另一家店", description="海报", receipt=new_receipt)
    )

    assert second.status_code == 409
    page = second.content.decode()
    assert STALE in page and "此支出" in page
    assert 'value="另一家店"' in page and 'value="99.90"' in page
    saved = Expense.objects.get(pk=expense.pk)
    assert (saved.amount, saved.payee, saved.description, saved.version) == (
        Decimal("150.00"),
        "学院印刷厂",
        "印刷",
        2,
    )
    assert saved.receipt.name == receipt_before and saved.receipt_name == "票据.png"  # the second receipt not kept
    assert AuditEvent.objects.filter(action="update", object_type="budget.expense").count() == 1


def test_expense_edit_replaces_the_receipt_and_refuses_a_bad_amount(client, org, ufd_staff):
    budget = line(org, "1000.00")
    expense = spend(budget, "120.00")
    url = reverse("budget:expense-edit", args=[expense.pk])
    client.force_login(ufd_staff)

    bad = client.post(url, expense_post(1, amount="-5"))
    assert bad.status_code == 400 and "不能为负数" in bad.content.decode()
    assert Expense.objects.get(pk=expense.pk).version == 1

    receipt = SimpleUploadedFile("二号票据.png", PNG, content_type="image/png")
    assert client.post(url, expense_post(1, amount="130.25", receipt=receipt)).status_code == 302
    saved = Expense.objects.get(pk=expense.pk)
    assert (saved.amount, saved.receipt_name, saved.version) == (Decimal("130.25"), "二号票据.png", 2)
    assert saved.date == date(YEAR, 3, 1)
    detail = client.get(reverse("budget:line-detail", args=[budget.pk])).content.decode()
    assert "130.25" in detail and reverse("budget:expense-edit", args=[expense.pk]) in detail
