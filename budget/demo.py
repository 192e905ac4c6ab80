"""Demo data of the budget module (called from dashboard/demo.py): the plan year's budget lines
and expenses with receipts, the symposium's costs linked to its event; 活动经费 passes 80 %."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from core import files

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

LINES = [
    ("activities", "统战工作座谈会及联谊活动", "12000.00"),
    ("training", "党外代表人士培训", "20000.00"),
    ("research", "统战理论调研课题", "10000.00"),
    ("publicity", "统战宣传", "6000.00"),
    ("member_support", "党外人士走访慰问", "15000.00"),
]

# (line index, month, day, amount, payee, description, for the symposium)
EXPENSES = [
    (0, 5, 8, "1280.00", "学校餐厅", "座谈会工作餐", True),
    (0, 5, 8, "356.50", "校园文印中心", "座谈会材料印制", True),
    (0, 9, 20, "8400.00", "市民族文化宫", "党外人士中秋联谊活动场地及演出", False),
    (1, 7, 12, "9600.00", "市社会主义学院", "党外代表人士暑期培训班", False),
    (3, 6, 1, "1850.75", "校园文印中心", "统战宣传展板制作", False),
    (4, 1, 18, "4000.00", "慰问品供应商", "春节走访慰问党外人士", False),
]


def load_demo_budget(org, users) -> None:
    from budget import services
    from events.models import Event
    from plans.models import Plan

    plan = Plan.objects.for_org(org).filter(status=Plan.Status.PUBLISHED).order_by("-year").first()
    year = plan.year if plan else date.today().year
    ufd = users["ufd"]
    symposium = Event.objects.for_org(org).filter(type="symposium", starts_at__year=year).first()
    lines = [
        services.create_line(
            org,
            by=ufd,
            year=year,
            data={"category": c, "name": n, "amount": Decimal(a), "item": None, "note": ""},
        )
        for c, n, a in LINES
    ]
    for index, month, day, amount, payee, description, for_symposium in EXPENSES:
        services.record_expense(
            lines[index],
            by=ufd,
            data={
                "date": date(year, month, day),
                "amount": amount,
                "payee": payee,
                "description": description,
                "event": symposium if for_symposium else None,
                "item": None,
            },
            receipt=ContentFile(PNG, name="票据.png"),
            receipt_kind=files.IMAGE,
        )
