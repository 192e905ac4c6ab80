"""A hand-built ledger of one year for 学生工作处 (`student_department`), with known figures:

- items it leads: A (due 3-31, accepted 3-20: on time, target 2/2), B (due 6-30, accepted 7-05: late,
  target 1/3), C (due 12-31, open, target 5/1 → counted 1); item E led by 党委统战部, supported by it.
- its progress reports this year: on A (1), on C (2), on E (1); none on B → 3 of 4 items reported.
- suggestions assigned to it this year: P1 answered on time, P2 answered late, P3 unanswered and
  overdue, P4 unanswered and not yet due (not counted) → 1 of 3 on time.
- events it organised this year: three held, one published but not held; one held by another department.
- registry people of the department: 4; two of them checked in at a held event (one at two events),
  one registered without checking in, one checked in at the event that was not held → 2 of 4."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from events.models import Event, Registration
from events.tests.factories import EventFactory
from people.tests.factories import PersonFactory
from plans.models import ItemSupport, ProgressReport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory
from proposals.models import Status
from proposals.tests.factories import make_proposal

YEAR = timezone.localdate().year


def aware(month, day, hour=10):
    return timezone.make_aware(datetime(YEAR, month, day, hour))


@pytest.fixture
def ledger(org, ufd_department, student_department, liaison, ufd_staff):
    plan = PlanFactory(organisation=org, year=YEAR)
    section = SectionFactory(plan=plan, title="加强党外代表人士队伍建设")
    d = student_department
    a = ItemFactory(
        plan=plan,
        section=section,
        title="任务A",
        lead_department=d,
        due_date=date(YEAR, 3, 31),
        accepted_at=aware(3, 20),
    )
    b = ItemFactory(
        plan=plan,
        section=section,
        title="任务B",
        lead_department=d,
        due_date=date(YEAR, 6, 30),
        accepted_at=aware(7, 5),
    )
    c = ItemFactory(plan=plan, section=section, title="任务C", lead_department=d, due_date=date(YEAR, 12, 31))
    e = ItemFactory(
        plan=plan, section=section, title="任务E", lead_department=ufd_department, due_date=date(YEAR, 12, 31)
    )
    ItemSupport.objects.create(item=e, department=d)
    TargetFactory(item=a, text="召开2次座谈会", count=2, achieved=2)
    TargetFactory(item=b, text="开展3次调研", count=3, achieved=1)
    TargetFactory(item=c, text="举办1次培训", count=1, achieved=5)
    for item, n in ((a, 1), (c, 2), (e, 1)):
        for _ in range(n):
            ProgressReport.objects.create(item=item, department=d, author=liaison, text=f"{item.title}进展")

    submitter = PersonFactory(organisation=org, name="提建议的人")
    past, future = date(YEAR, 1, 1), date(YEAR + 1, 12, 31)
    common = {"lead": d, "assigned_at": aware(2, 1)}
    make_proposal(org, submitter, Status.ANSWERED, title="P1", answered_on_time=True, **common)
    make_proposal(org, submitter, Status.ANSWERED, title="P2", answered_on_time=False, **common)
    make_proposal(org, submitter, Status.ASSIGNED, title="P3", due_date=past, **common)
    make_proposal(org, submitter, Status.ASSIGNED, title="P4", due_date=future, **common)

    people = [PersonFactory(organisation=org, department=d, name=f"学工{i}") for i in range(4)]
    held = [
        EventFactory(
            organisation=org,
            department=d,
            title=f"活动{i}",
            starts_at=aware(4 + i, 10),
            ends_at=aware(4 + i, 10, 12),
            held_at=aware(4 + i, 10, 13),
            attendance_count=10 + i,
        )
        for i in range(3)
    ]
    not_held = EventFactory(
        organisation=org, department=d, title="未举办", starts_at=aware(9, 1), ends_at=aware(9, 1, 12)
    )
    EventFactory(
        organisation=org,
        department=ufd_department,
        title="统战部的活动",
        starts_at=aware(9, 2),
        ends_at=aware(9, 2, 12),
        held_at=aware(9, 2, 13),
    )
    checked = aware(4, 10, 9)
    Registration.objects.create(event=held[0], person=people[0], status="registered", checked_in_at=checked)
    Registration.objects.create(event=held[1], person=people[0], status="registered", checked_in_at=checked)
    Registration.objects.create(event=held[1], person=people[1], status="registered", checked_in_at=checked)
    Registration.objects.create(event=held[2], person=people[2], status="registered")
    Registration.objects.create(event=not_held, person=people[3], status="registered", checked_in_at=checked)
    assert Event.objects.held().filter(department=d).count() == 3
    return {"plan": plan, "items": (a, b, c, e), "events": held, "people": people}
