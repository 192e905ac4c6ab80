"""Reporting, verification, completions feeding plan targets, the Q4 reminder and the export."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.models import AuditEvent
from fiveones import services
from fiveones.models import Completion, Entry
from fiveones.tests.conftest import YEAR, at, attend, event_of
from fiveones.tests.factories import PNG, make_entry
from notifications.models import Notification
from plans.tests.factories import TargetFactory
from proposals.models import Status
from proposals.tests.factories import make_proposal

pytestmark = pytest.mark.django_db


def _four_verified(person):
    for slot in ("book", "report", "site", "research"):
        make_entry(person, slot=slot, status=Entry.Status.VERIFIED, on=date(YEAR, 3, 1))


def test_report_entry_waits_for_verification_and_tells_staff(org, make_member, ufd_staff):
    person = make_member("李读书")
    proof = SimpleUploadedFile("封面.png", PNG, content_type="image/png")

    entry = services.report_entry(
        person,
        by=person.user,
        year=YEAR,
        slot="book",
        data={"title": "乡土中国", "author": "费孝通", "on": date(YEAR, 3, 1), "reflection": "深受启发"},
        proof=proof,
        proof_kind="图片",
    )

    assert (entry.status, entry.proof_name, entry.proof.read()) == ("pending", "封面.png", PNG)
    assert AuditEvent.objects.filter(action="create", object_type="fiveones.entry").count() == 1
    assert list(Notification.objects.filter(user=ufd_staff).values_list("title", flat=True)) == [
        "五个一待核实：李读书 读一本好书"
    ]


def test_proposal_slot_cannot_be_self_reported(make_member):
    person = make_member()
    with pytest.raises(services.NotAllowed):
        services.report_entry(person, by=person.user, year=YEAR, slot="proposal", data={}, proof=None, proof_kind="")


def test_verify_and_reject_notify_the_member_and_refuse_twice(make_member, ufd_staff):
    person = make_member()
    book = make_entry(person, slot="book")
    visit = make_entry(person, slot="site", title="红岩纪念馆")

    services.verify_entry(book, by=ufd_staff)
    services.reject_entry(visit, by=ufd_staff, reason="请上传参观照片")

    book.refresh_from_db()
    visit.refresh_from_db()
    assert (book.status, book.verified_by) == ("verified", ufd_staff)
    assert (visit.status, visit.reason) == ("rejected", "请上传参观照片")
    assert list(Notification.objects.filter(user=person.user).order_by("id").values_list("title", flat=True)) == [
        "您的五个一“读一本好书”已核实",
        "您的五个一“参观一处教育基地”未通过核实",
    ]
    with pytest.raises(services.NotAllowed):
        services.verify_entry(visit, by=ufd_staff)
    with pytest.raises(services.NotAllowed):
        services.reject_entry(make_entry(person), by=ufd_staff, reason="  ")


def test_completion_counts_towards_a_linked_target_and_is_withdrawn(org, make_member, ufd_staff):
    target = TargetFactory(item__section__plan__organisation=org, text="开展“五个一”活动", count=10)
    person = make_member()
    _four_verified(person)
    suggestion = make_proposal(org, person, Status.SUBMITTED, submitted_at=at(4))

    services.link_target(org, by=ufd_staff, year=YEAR, target=target)

    target.refresh_from_db()
    assert target.achieved == 1
    assert Completion.objects.filter(person=person, year=YEAR).count() == 1

    # The suggestion is withdrawn: four of five; the daily sync takes the count back.
    suggestion.status = Status.WITHDRAWN
    suggestion.save(update_fields=["status"])
    assert services.sync_completions(org, YEAR) == (0, 1)
    target.refresh_from_db()
    assert target.achieved == 0


def test_verifying_the_fifth_entry_records_the_achievement(org, make_member, ufd_staff):
    target = TargetFactory(item__section__plan__organisation=org, count=5)
    services.link_target(org, by=ufd_staff, year=YEAR, target=target)
    person = make_member()
    for slot in ("report", "site", "research"):
        make_entry(person, slot=slot, status=Entry.Status.VERIFIED, on=date(YEAR, 3, 1))
    make_proposal(org, person, Status.SUBMITTED, submitted_at=at(4))
    book = make_entry(person, slot="book", on=date(YEAR, 5, 1))

    services.verify_entry(book, by=ufd_staff)

    target.refresh_from_db()
    assert target.achieved == 1


def test_link_target_refuses_another_organisations_target(org, other_org, ufd_staff):
    foreign = TargetFactory(item__section__plan__organisation=other_org)
    with pytest.raises(services.NotAllowed):
        services.link_target(org, by=ufd_staff, year=YEAR, target=foreign)


def test_q4_reminder_tells_members_below_five_what_is_missing(org, make_member):
    done = make_member("已完成")
    _four_verified(done)
    make_proposal(org, done, Status.SUBMITTED, submitted_at=at(4))
    behind = make_member("还差")
    attend(event_of(org, "lecture"), behind)
    out = StringIO()

    call_command("remind_five_ones", org=org.slug, year=YEAR, stdout=out)

    assert out.getvalue().strip() == "已提醒 1 位成员。"
    notice = Notification.objects.get()
    assert (notice.user, notice.title) == (behind.user, f"{YEAR}年五个一还差 4 项")
    assert "读一本好书、参观一处教育基地、进行一项调研、提交一份议案" in notice.body


def test_remind_command_rejects_unknown_org():
    with pytest.raises(CommandError):
        call_command("remind_five_ones", org="nowhere")


def test_export_command_writes_one_row_per_member_and_one_column_per_slot(org, make_member, tmp_path, ufd_department):
    person = make_member("赵全勤", department=ufd_department)
    event = event_of(org, "visit", title="参观统战历史陈列馆", month=5)
    attend(event, person)
    make_entry(person, slot="book", status=Entry.Status.VERIFIED, on=date(YEAR, 2, 3))
    make_entry(person, slot="research", title="产教融合调研")
    make_member("钱未动")
    path = tmp_path / "five.xlsx"
    out = StringIO()

    call_command("export_five_ones", org=org.slug, year=YEAR, output=str(path), stdout=out)

    rows = [list(r) for r in load_workbook(path).active.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == [
        "序号",
        "姓名",
        "部门",
        "读一本好书",
        "听一场报告",
        "参观一处教育基地",
        "进行一项调研",
        "提交一份议案",
        "完成项数",
    ]
    assert rows[1] == [
        1,
        "赵全勤",
        "党委统战部",
        f"自报已核实：《乡土中国》（{YEAR}年2月3日）",
        "未完成",
        f"活动签到：参观·参观统战历史陈列馆（{YEAR}年5月10日）",
        "待核实：产教融合调研",
        "未完成",
        "2/5",
    ]
    assert [rows[2][1], *rows[2][3:]] == ["钱未动", "未完成", "未完成", "未完成", "未完成", "未完成", "0/5"]
    assert out.getvalue().strip() == f"已导出 2 位成员的{YEAR}年五个一台账到 {path}。"
    export = AuditEvent.objects.get(action="export")
    assert export.changes == {"export": "五个一台账", "filter": f"{YEAR}年", "rows": 2}


def test_export_command_rejects_bad_input(org, tmp_path):
    with pytest.raises(CommandError, match="没有 slug 为 nowhere 的组织"):
        call_command("export_five_ones", org="nowhere", output=str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError):
        call_command("export_five_ones", org=org.slug, year=1900, output=str(tmp_path / "x.xlsx"))


def test_periodic_tasks_run_the_services(org, make_member):
    from fiveones.tasks import remind_five_ones, sync_five_ones

    make_member()
    assert sync_five_ones.call_local() == 0
    assert remind_five_ones.call_local() == 1
