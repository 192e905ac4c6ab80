"""One rule for status and targets (issue 10, defect 7): an item is done when its closing report
is accepted or all its counted targets are met; a done item is never overdue or red; 销号 with
unmet targets needs a confirmation and a reason, recorded on the timeline and in the audit;
progress of an item with targets reads achieved/target. Items are built by hand."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from plans import services
from plans.models import Item, ItemEvent, ProgressReport
from plans.tests.factories import ItemFactory, PlanFactory, SectionFactory, TargetFactory

TODAY = date(2026, 6, 15)


def _item(**fields):
    plan = PlanFactory(year=2026)
    return ItemFactory(plan=plan, section=SectionFactory(plan=plan), due_date=date(2026, 3, 31), **fields)


@pytest.mark.django_db
def test_an_overdue_item_whose_targets_are_all_met_is_done_and_green():
    item = _item(targets_met=True, progress=100)
    assert item.status_on(TODAY) == Item.Status.DONE
    assert item.light_on(TODAY, milestones=[]) == Item.Light.GREEN
    assert list(Item.objects.overdue(TODAY)) == []


@pytest.mark.django_db
def test_an_accepted_item_is_never_overdue_or_red():
    item = _item(accepted_at=timezone.now())
    assert item.status_on(TODAY) == Item.Status.DONE
    assert item.light_on(TODAY, milestones=[(date(2026, 1, 1), None)]) == Item.Light.GREEN
    assert list(Item.objects.overdue(TODAY)) == []
    assert list(Item.objects.due_soon(date(2026, 3, 28))) == []


@pytest.mark.django_db
def test_a_done_item_is_not_listed_as_quiet():
    done = _item(targets_met=True, progress=100)
    quiet = _item()
    assert list(Item.objects.quiet()) == [quiet]
    assert done not in Item.objects.quiet()


@pytest.mark.django_db
def test_an_overdue_item_with_unmet_targets_stays_overdue():
    item = _item()
    TargetFactory(item=item, count=2, achieved=1)
    assert item.status_on(TODAY) == Item.Status.OVERDUE
    assert list(Item.objects.overdue(TODAY)) == [item]


@pytest.mark.django_db
def test_meeting_the_last_target_makes_the_item_done(ufd_staff):
    item = _item()
    target = TargetFactory(item=item, count=1)
    services.record_achievement(target, source=ufd_staff, by=ufd_staff, label="座谈会已举办")
    item.refresh_from_db()
    assert (item.targets_met, item.progress, item.status) == (True, 100, Item.Status.DONE)
    assert "逾期 → 已完成" in ItemEvent.objects.filter(item=item, kind="status").get().note


@pytest.mark.django_db
def test_progress_with_targets_is_achieved_over_target():
    item = _item(progress=33)
    TargetFactory(item=item, count=2, achieved=1)
    TargetFactory(item=item, count=1, achieved=0)
    assert item.progress_text == "1/3（33%）"
    assert _item(progress=0).progress_text == "0%"


@pytest.fixture
def closing_item(org, student_department, liaison):
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
    TargetFactory(item=item, text="召开1次座谈会", count=1)
    services.post_report(item, by=liaison, text="已办结", closing=True)
    return item


@pytest.mark.django_db
def test_accepting_with_unmet_targets_is_refused_without_confirmation(client, ufd_staff, closing_item):
    client.force_login(ufd_staff)
    url = reverse("plans:item-accept", args=[closing_item.pk])
    client.post(url, {"note": "同意"})
    client.post(url, {"note": "同意", "unmet_confirmed": "on"})  # confirmed, but no reason
    client.post(url, {"note": "同意", "unmet_reason": "座谈会改为线上征求意见"})  # reason, not confirmed
    closing_item.refresh_from_db()
    assert closing_item.accepted_at is None
    page = client.get(reverse("plans:item-detail", args=[closing_item.pk])).content.decode()
    assert "量化目标尚未全部完成：召开1次座谈会（0/1）" in page
    assert 'name="unmet_confirmed"' in page


@pytest.mark.django_db
def test_accepting_with_unmet_targets_after_confirmation_is_recorded(client, ufd_staff, closing_item):
    client.force_login(ufd_staff)
    response = client.post(
        reverse("plans:item-accept", args=[closing_item.pk]),
        {"note": "同意", "unmet_confirmed": "on", "unmet_reason": "座谈会改为线上征求意见"},
    )
    assert response.status_code == 302
    closing_item.refresh_from_db()
    assert closing_item.accepted_at is not None
    assert (closing_item.status, closing_item.progress, closing_item.progress_text) == ("done", 0, "0/1（0%）")
    accepted = ItemEvent.objects.get(item=closing_item, kind="accepted")
    assert accepted.note == "目标未全部完成即销号（召开1次座谈会 0/1）。理由：座谈会改为线上征求意见\n同意"
    audit = AuditEvent.objects.get(object_type="plans.item", changes__has_key="reason")
    assert audit.changes["reason"] == ["", "座谈会改为线上征求意见"]
    assert audit.changes["unmet_targets"] == ["", "召开1次座谈会 0/1"]
    page = client.get(reverse("plans:item-detail", args=[closing_item.pk])).content.decode()
    assert "0/1（0%）" in page
    assert "座谈会改为线上征求意见" in page


@pytest.mark.django_db
def test_accepting_with_all_targets_met_needs_no_confirmation(client, ufd_staff, closing_item):
    target = closing_item.targets.get()
    services.record_achievement(target, source=ufd_staff, by=ufd_staff)
    client.force_login(ufd_staff)
    client.post(reverse("plans:item-accept", args=[closing_item.pk]), {"note": "材料齐全"})
    closing_item.refresh_from_db()
    assert closing_item.accepted_at is not None
    assert ItemEvent.objects.get(item=closing_item, kind="accepted").note == "材料齐全"
    assert closing_item.progress_text == "1/1（100%）"


@pytest.mark.django_db
def test_an_item_without_targets_is_100_percent_once_accepted(ufd_staff, liaison, org, student_department):
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
    services.post_report(item, by=liaison, text="已办结", closing=True)
    item = services.accept_closing(item, by=ufd_staff)
    assert (item.progress, item.progress_text) == (100, "100%")


@pytest.mark.django_db
def test_my_department_shows_achieved_over_target(client, liaison, org, student_department):
    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department, progress=50)
    TargetFactory(item=item, count=2, achieved=1)
    client.force_login(liaison)
    body = client.get(reverse("plans:my-department")).content.decode()
    assert "1/2（50%）" in body


@pytest.mark.django_db
def test_breakdown_progress_column_carries_the_latest_report(client, ufd_staff, liaison, org, student_department):
    from docx import Document
    from openpyxl import load_workbook

    plan = PlanFactory(organisation=org)
    item = ItemFactory(plan=plan, section=SectionFactory(plan=plan), lead_department=student_department)
    TargetFactory(item=item, count=2, achieved=0)
    services.post_report(item, by=liaison, text="已制定方案")
    latest = services.post_report(item, by=liaison, text="已召开第一次座谈会，收集建议12条")
    ProgressReport.objects.filter(pk=latest.pk).update(created_at=timezone.now() + timedelta(seconds=1))
    day = timezone.localdate().isoformat()
    expected = f"0/2（0%）\n{day} 进展报告：已召开第一次座谈会，收集建议12条"
    client.force_login(ufd_staff)
    xlsx = client.get(reverse("plans:export", args=[plan.pk]) + "?format=xlsx")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows()]
    item_row = next(r for r in rows if r[0] == item.number)
    assert item_row[6] == expected
    docx = client.get(reverse("plans:export", args=[plan.pk]) + "?format=docx")
    table = Document(io.BytesIO(docx.content)).tables[0]
    cells = next([c.text for c in row.cells] for row in table.rows if row.cells[0].text == str(item.number))
    assert cells[6] == expected
