"""Budget lines, expenses, exact Decimal totals, alerts at 80 % and 100 %, bad input, the event's cost."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from budget import services
from budget.models import BudgetLine, Expense
from budget.queries import event_cost, execution
from budget.tests.matrix import PNG
from core import files
from events.tests.factories import EventFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db
YEAR = date.today().year


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def line(org, amount="1000.00", name="座谈会经费", category="activities", year=YEAR):
    return BudgetLine.objects.create(organisation=org, year=year, category=category, name=name, amount=Decimal(amount))


def spend(line, amount, *, by=None, month=3, event=None):
    return services.record_expense(
        line,
        by=by,
        data={
            "date": date(line.year, month, 1),
            "amount": amount,
            "payee": "文印店",
            "description": "印刷",
            "event": event,
            "item": None,
        },
        receipt=ContentFile(PNG, name="票据.png"),
        receipt_kind=files.IMAGE,
    )


def test_totals_are_exact_decimals(org):
    a, b = line(org, "0.30", name="甲"), line(org, "1000.00", name="乙", category="training")
    for _ in range(3):
        spend(a, "0.10")  # 0.1 + 0.1 + 0.1 is not 0.3 in floating point; it is here
    spend(b, "333.33", month=3)
    spend(b, "333.33", month=4)
    spend(b, "333.34", month=4)
    figures = execution(org, YEAR)
    assert figures["budget"] == Decimal("1000.30")
    assert figures["spent"] == Decimal("1000.30")
    assert figures["balance"] == Decimal("0.00")
    assert figures["rate"] == Decimal("100.0")
    assert [row["rate"] for row in figures["lines"]] == [Decimal("100.0"), Decimal("100.0")]
    months = dict(figures["by_month"])
    assert (months[3], months[4], months[5]) == (Decimal("333.63"), Decimal("666.67"), Decimal("0"))
    assert all(isinstance(v, Decimal) for v in months.values())


def test_alerts_once_at_80_and_once_at_100_percent(org, ufd_staff, django_capture_on_commit_callbacks):
    budget = line(org, "1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        spend(budget, "799.99")
    assert not Notification.objects.filter(user=ufd_staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        spend(budget, "0.01")  # exactly 80 %
    titles = list(Notification.objects.filter(user=ufd_staff).values_list("title", flat=True))
    assert titles == ["经费预警：“座谈会经费”已执行80.0%（80%）"]
    with django_capture_on_commit_callbacks(execute=True):
        spend(budget, "100.00")  # 90 %: nothing new
        spend(budget, "150.00")  # 105 %
        spend(budget, "10.00")  # still over: nothing new
    titles = list(Notification.objects.filter(user=ufd_staff).order_by("id").values_list("title", flat=True))
    assert titles == ["经费预警：“座谈会经费”已执行80.0%（80%）", "经费预警：“座谈会经费”已执行105.0%（100%）"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-20", "金额须大于 0，不能为负数或零。"),
        ("0", "金额须大于 0，不能为负数或零。"),
        ("一百元", "金额“一百元”不是数字，请填写如 1200.50 的金额。"),
        ("12.345", "金额最多保留两位小数（精确到分）。"),
        ("NaN", "金额“NaN”不是数字，请填写如 1200.50 的金额。"),
    ],
)
def test_bad_amounts_are_refused_through_the_page(client, org, ufd_staff, amount, message):
    budget = line(org)
    client.force_login(ufd_staff)
    receipt = SimpleUploadedFile("票据.png", PNG, content_type="image/png")
    response = client.post(
        reverse("budget:expense-create", args=[budget.pk]),
        {"date": f"{YEAR}-03-01", "amount": amount, "payee": "文印店", "description": "印刷", "receipt": receipt},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Expense.objects.exists()


def test_receipt_that_lies_about_its_type_is_refused(client, org, ufd_staff):
    budget = line(org)
    client.force_login(ufd_staff)
    liar = SimpleUploadedFile("发票.jpg", b"MZ\x90\x00\x03 this is an executable", content_type="image/jpeg")
    response = client.post(
        reverse("budget:expense-create", args=[budget.pk]),
        {"date": f"{YEAR}-03-01", "amount": "50", "payee": "文印店", "description": "印刷", "receipt": liar},
    )
    assert response.status_code == 400
    assert "文件“发票.jpg”的内容不是允许的类型（图片、PDF），已拒绝。" in response.content.decode()
    assert not Expense.objects.exists()


def test_expense_outside_the_budget_year_is_refused(client, org, ufd_staff):
    budget = line(org)
    client.force_login(ufd_staff)
    receipt = SimpleUploadedFile("票据.png", PNG, content_type="image/png")
    response = client.post(
        reverse("budget:expense-create", args=[budget.pk]),
        {"date": f"{YEAR - 1}-12-31", "amount": "50", "payee": "x", "description": "y", "receipt": receipt},
    )
    assert f"支出日期须在预算年度 {YEAR} 年内。" in response.content.decode()
    assert not Expense.objects.exists()


def test_line_with_negative_budget_is_refused(client, org, ufd_staff):
    client.force_login(ufd_staff)
    response = client.post(
        f"{reverse('budget:line-create')}?year={YEAR}", {"category": "training", "name": "培训", "amount": "-500"}
    )
    assert response.status_code == 400
    assert "预算金额须大于 0，不能为负数或零。" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_expense_recorded_through_the_page(client, org, ufd_staff):
    budget = line(org)
    event = EventFactory(organisation=org, title="统战工作座谈会")
    client.force_login(ufd_staff)
    receipt = SimpleUploadedFile("票据.png", PNG, content_type="image/png")
    response = client.post(
        reverse("budget:expense-create", args=[budget.pk]),
        {
            "date": f"{YEAR}-03-01",
            "amount": "1,280.50",
            "payee": "学校餐厅",
            "description": "工作餐",
            "receipt": receipt,
            "event": event.pk,
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount, expense.event, expense.receipt_kind) == (Decimal("1280.50"), event, "图片")


def test_event_page_shows_its_cost(client, org, ufd_staff):
    event = EventFactory(organisation=org, title="统战工作座谈会")
    budget = line(org)
    spend(budget, "1280.00", event=event)
    spend(budget, "356.50", event=event)
    spend(budget, "99.00")  # not for this event
    assert event_cost(event.pk)["total"] == Decimal("1636.50")
    client.force_login(ufd_staff)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "活动经费" in page
    assert "1636.50" in page and "99.00" not in page


def test_execution_table_xlsx(client, org, ufd_staff):
    spend(line(org, "2000.00"), "1500.25")
    client.force_login(ufd_staff)
    response = client.get(f"{reverse('budget:export')}?year={YEAR}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == f"{YEAR}年统战工作经费执行情况表"
    header = rows.index(
        ["序号", "类别", "预算项目", "对应任务", "预算金额（元）", "已支出（元）", "结余（元）", "执行率"]
    )
    assert rows[header + 1] == [1, "活动经费", "座谈会经费", None, "2000.00", "1500.25", "499.75", "75.0%"]
    assert rows[header + 2][1:] == ["合计", None, None, "2000.00", "1500.25", "499.75", "75.0%"]


@pytest.mark.parametrize("rows", [1, 15])
def test_budget_page_queries_are_bounded(client, org, leader, rows, django_assert_max_num_queries):
    for i in range(rows):
        spend(line(org, "100.00", name=f"项目{i}"), "10.00")
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("budget:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<span class="">10.0%</span>') == rows  # every line at 10 / 100
    assert f"<strong>{Decimal(100) * rows:.2f}</strong>" in page  # the overall budget
    assert "添加预算项目" not in response.content.decode()  # leaders read only
