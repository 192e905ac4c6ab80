"""Time the plan page, the supervision board and "my department" with 2,000 items.

Run: python bench/bench_plan_pages.py (uses a throwaway SQLite database)."""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ["TONGXIN_TESTING"] = "1"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")

import warnings

import django

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ITEMS = 2000
LIMIT_SECONDS = 1.0


def build():
    from accounts.models import User
    from orgs.models import Department, Membership, Organisation, Role
    from plans.models import Item, ItemSupport, Plan, Section, Target

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="基准学院", slug="bench")
    departments = [Department.objects.create(organisation=org, name=f"部门{i}") for i in range(10)]
    staff = User.objects.create_user("staff", password="Bench-pass-123")
    Membership.objects.create(user=staff, organisation=org, role=Role.UFD_STAFF)
    liaison = User.objects.create_user("liaison", password="Bench-pass-123")
    Membership.objects.create(user=liaison, organisation=org, role=Role.LIAISON).departments.set(departments[:2])
    plan = Plan.objects.create(organisation=org, year=date.today().year, title="基准计划", status="published")
    sections = [Section.objects.create(plan=plan, number=i + 1, title=f"第{i + 1}部分", order=i) for i in range(8)]
    today = date.today()
    Item.objects.bulk_create(
        Item(
            plan=plan,
            section=sections[i % 8],
            number=i + 1,
            title=f"任务{i + 1}",
            order=i,
            lead_department=departments[i % 10],
            due_date=today + timedelta(days=(i % 60) - 10),
        )
        for i in range(ITEMS)
    )
    items = list(Item.objects.filter(plan=plan))
    ItemSupport.objects.bulk_create(
        ItemSupport(item=it, department=departments[(n + 1) % 10]) for n, it in enumerate(items)
    )
    Target.objects.bulk_create(Target(item=it, text="召开1次座谈会", count=1) for it in items[::4])
    return plan


def timed(client, url, runs=5):
    client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main() -> int:
    plan = build()
    client = Client()
    client.login(username="staff", password="Bench-pass-123")
    rows = [("plan page", *timed(client, f"/plans/{plan.pk}/")), ("supervision", *timed(client, "/plans/supervision/"))]
    client.login(username="liaison", password="Bench-pass-123")
    rows.append(("my department", *timed(client, "/plans/my-department/")))
    failed = False
    for name, seconds, queries in rows:
        flag = "ok" if seconds < LIMIT_SECONDS else "SLOW"
        failed |= seconds >= LIMIT_SECONDS
        print(f"{name:<14} {ITEMS} items: {seconds * 1000:7.0f} ms, {queries} queries  {flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
