"""Time the year-end summary (the Word draft with its three charts) for a plan of 2,000 items with
a year of records: 8,000 progress reports, 500 targets with achievements, 300 held events with
registrations, 400 suggestions, 10 departments scored, 20 budget lines with 600 expenses, 300 members
with logins and 600 verified five-ones entries, 24 study materials pushed to all 300 (7,200 assignments).

Run: python bench/bench_year_summary.py (uses a throwaway SQLite database). Target: < 3 s."""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["TONGXIN_TESTING"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")

import warnings

import django

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

ITEMS = 2000
LIMIT_SECONDS = 3.0
YEAR = date.today().year


def aware(day_of_year: int, hour: int = 10):
    return timezone.make_aware(datetime(YEAR, 1, 1, hour) + timedelta(days=day_of_year % 360))


def build():
    from accounts.models import User
    from assessment.models import DepartmentAssessment, Indicator, Scheme
    from budget.models import BudgetLine, Expense
    from events.models import Event, Registration
    from fiveones.models import Entry
    from orgs.models import Department, Membership, Organisation, Role
    from people.models import ContactRecord, Person
    from plans.models import Item, ItemSupport, Plan, ProgressReport, Section, Target
    from proposals.models import Proposal
    from study.models import Assignment, StudyMaterial

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="基准学院", slug="bench")
    departments = [Department.objects.create(organisation=org, name=f"部门{i}", sort_order=i) for i in range(10)]
    staff = User.objects.create_user("staff", password="Bench-pass-123")
    Membership.objects.create(user=staff, organisation=org, role=Role.UFD_STAFF)
    plan = Plan.objects.create(
        organisation=org, year=YEAR, title="基准计划", status="published", published_at=timezone.now()
    )
    sections = [
        Section.objects.create(
            plan=plan, number=i + 1, marker="一二三四五六七八"[i] + "、", title=f"第{i + 1}部分", order=i
        )
        for i in range(8)
    ]
    Item.objects.bulk_create(
        Item(
            plan=plan,
            section=sections[i % 8],
            number=i + 1,
            title=f"任务{i + 1}：做好统战工作的某一方面",
            order=i,
            lead_department=departments[i % 10],
            due_date=date(YEAR, 1 + i % 12, 28),
            progress=(i * 7) % 101,
            accepted_at=aware(i) if i % 3 == 0 else None,
        )
        for i in range(ITEMS)
    )
    items = list(Item.objects.filter(plan=plan).order_by("order"))
    ItemSupport.objects.bulk_create(
        ItemSupport(item=it, department=departments[(n + 1) % 10]) for n, it in enumerate(items)
    )
    Target.objects.bulk_create(
        Target(item=it, text="召开1次座谈会", count=2, achieved=n % 3) for n, it in enumerate(items[::4])
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(item=items[n % ITEMS], department=departments[n % 10], text="进展情况说明" * 5)
        for n in range(8000)
    )
    logins = User.objects.bulk_create(User(username=f"m{i}", password="!") for i in range(300))
    people = Person.objects.bulk_create(
        Person(organisation=org, name=f"成员{i}", department=departments[i % 10], name_initials="cy", user=logins[i])
        for i in range(300)
    )
    events = Event.objects.bulk_create(
        Event(
            organisation=org,
            title=f"统战活动{i}",
            type=("lecture", "visit", "research", "symposium")[i % 4],
            starts_at=aware(i),
            ends_at=aware(i, 12),
            status="published",
            held_at=aware(i, 13),
            department=departments[i % 10],
            attendance_count=20 + i % 30,
        )
        for i in range(300)
    )
    targets = list(Target.objects.filter(item__plan=plan))
    Event.targets.through.objects.bulk_create(
        Event.targets.through(event_id=e.pk, target_id=targets[n % len(targets)].pk) for n, e in enumerate(events)
    )
    Registration.objects.bulk_create(
        Registration(event=events[n], person=people[(n * 7 + k) % 300], status="registered", checked_in_at=aware(n))
        for n in range(300)
        for k in range(10)
    )
    Proposal.objects.bulk_create(
        Proposal(
            organisation=org,
            title=f"建议{i}",
            submitter=people[i % 300],
            content="内容",
            status="closed" if i % 2 else "assigned",
            submitted_at=aware(i),
            accepted_at=aware(i),
            outcome="adopted" if i % 4 == 1 else ("reference" if i % 2 else ""),
            lead_department=departments[i % 10],
            assigned_at=aware(i),
            due_date=date(YEAR, 12, 31),
            answered_on_time=True if i % 2 else None,
        )
        for i in range(400)
    )
    ContactRecord.objects.bulk_create(
        ContactRecord(person=people[i % 300], date=date(YEAR, 1 + i % 12, 5), met_by="王同心", raised="意见")
        for i in range(500)
    )
    scheme = Scheme.objects.create(organisation=org, year=YEAR, title="考核方案", published_at=timezone.now())
    Indicator.objects.create(scheme=scheme, name="实绩", metric="manual", weight=Decimal(100))
    DepartmentAssessment.objects.bulk_create(
        DepartmentAssessment(
            scheme=scheme, department=d, status="scored", total=Decimal(95 - i), rank=i + 1, grade="good"
        )
        for i, d in enumerate(departments)
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(organisation=org, year=YEAR, category="activities", name=f"预算{i}", amount=Decimal("10000.00"))
        for i in range(20)
    )
    Expense.objects.bulk_create(
        Expense(
            line=lines[i % 20],
            date=date(YEAR, 1 + i % 12, 3),
            amount=Decimal("123.45"),
            payee="x",
            description="y",
            receipt="r.png",
            receipt_name="r.png",
            receipt_kind="图片",
        )
        for i in range(600)
    )
    Entry.objects.bulk_create(
        Entry(
            organisation=org,
            person=people[i % 300],
            year=YEAR,
            slot=("book", "site")[i // 300],
            title=f"记录{i}",
            on=date(YEAR, 1 + i % 12, 9),
            proof="p.png",
            proof_name="p.png",
            proof_kind="图片",
            status="verified",
        )
        for i in range(600)
    )
    materials = StudyMaterial.objects.bulk_create(
        StudyMaterial(organisation=org, title=f"学习材料{i}", publish_at=aware(i * 15), status="published")
        for i in range(24)
    )
    Assignment.objects.bulk_create(
        Assignment(material=m, person=p, read_at=aware(n * 15) if (n + k) % 2 else None)
        for n, m in enumerate(materials)
        for k, p in enumerate(people)
    )
    return org, staff


def main() -> int:
    from reports import services

    org, staff = build()
    services.export_docx(org, by=staff, year=YEAR)  # warm up (fonts, imports)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            content = services.export_docx(org, by=staff, year=YEAR)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    ok = median < LIMIT_SECONDS
    print(
        f"year-end summary, {ITEMS} items: {median:.2f} s (median of 3), {len(queries)} queries, "
        f"{len(content) // 1024} KB .docx — {'OK' if ok else 'TOO SLOW'} (< {LIMIT_SECONDS:.0f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
