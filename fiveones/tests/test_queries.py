"""Auto-fill of the five ones from hand-built records, and the completion figures."""

from datetime import date

import pytest
from django.utils import timezone

from events.models import Event, Registration
from fiveones.models import Entry
from fiveones.queries import completion_figures, ledgers, member_ledger
from fiveones.tests.conftest import YEAR, at, attend, event_of
from fiveones.tests.factories import make_entry
from people.models import Group, PartyMembership, PersonCategory
from people.tests.factories import PersonFactory
from proposals.models import Status
from proposals.tests.factories import make_filing, make_proposal

pytestmark = pytest.mark.django_db


def _filled(ledger):
    return {state.slot.value: state.filled for state in ledger.slots}


def test_checked_in_lecture_visit_and_research_fill_their_slots(org, make_member):
    person = make_member("王听讲")
    attend(event_of(org, "lecture", title="新时代统一战线专题报告"), person)
    attend(event_of(org, "visit", title="参观红岩革命纪念馆"), person)
    attend(event_of(org, "research", title="赴企业调研产教融合"), person)

    ledger = member_ledger(person, YEAR)

    assert _filled(ledger) == {"book": False, "report": True, "site": True, "research": True, "proposal": False}
    assert ledger.filled_count == 3
    assert ledger.missing == ["读一本好书", "提交一份议案"]
    report = ledger.slots[1]
    assert [s.label for s in report.sources] == ["报告/讲座·新时代统一战线专题报告"]
    assert report.sources[0].member_url == f"/events/m/{report.sources[0].pk}/"


def test_registration_without_check_in_does_not_count(org, make_member):
    person = make_member()
    attend(event_of(org, "lecture"), person, checked_in=False)
    attend(event_of(org, "visit"), person, checked_in=False, outcome=Registration.Outcome.NO_SHOW)

    assert _filled(member_ledger(person, YEAR))["report"] is False
    assert _filled(member_ledger(person, YEAR))["site"] is False


def test_attendance_recorded_when_held_counts(org, make_member):
    person = make_member()
    attend(event_of(org, "visit"), person, checked_in=False, outcome=Registration.Outcome.ATTENDED)

    assert _filled(member_ledger(person, YEAR))["site"] is True


def test_other_types_cancelled_events_and_other_years_do_not_count(org, make_member):
    person = make_member()
    attend(event_of(org, "symposium"), person)  # a symposium is not a report
    attend(event_of(org, "lecture", status=Event.Status.CANCELLED), person)
    attend(event_of(org, "visit", year=YEAR - 1), person)

    assert member_ledger(person, YEAR).filled_count == 0
    assert _filled(member_ledger(person, YEAR - 1))["site"] is True


def test_suggestion_submitted_in_the_year_fills_proposal(org, make_member):
    person = make_member()
    make_proposal(org, person, Status.SUBMITTED, submitted_at=at(5), title="关于延长图书馆开放时间的建议")
    make_proposal(org, person, Status.DRAFT, title="草稿不计")

    ledger = member_ledger(person, YEAR)

    proposal = ledger.slots[4]
    assert proposal.filled is True
    assert [s.label for s in proposal.sources] == ["关于延长图书馆开放时间的建议"]
    assert proposal.sources[0].member_url == f"/proposals/mine/{proposal.sources[0].pk}/"


def test_withdrawn_suggestion_and_unverified_filing_do_not_count(org, make_member, ufd_staff):
    person = make_member()
    make_proposal(org, person, Status.WITHDRAWN, submitted_at=at(5))
    make_filing(person, date=date(YEAR, 4, 1))

    assert _filled(member_ledger(person, YEAR))["proposal"] is False

    make_filing(person, date=date(YEAR, 4, 2), verified_by=ufd_staff, title="关于加强职教的提案")
    assert _filled(member_ledger(person, YEAR))["proposal"] is True


def test_self_reported_entries_count_only_when_verified(org, make_member):
    person = make_member()
    make_entry(person, slot="book", on=date(YEAR, 2, 1))
    make_entry(person, slot="site", status=Entry.Status.REJECTED, reason="照片不清晰", on=date(YEAR, 2, 1))
    ledger = member_ledger(person, YEAR)
    book, site = ledger.slots[0], ledger.slots[2]
    assert (book.filled, [e.title for e in book.pending]) == (False, ["乡土中国"])
    assert (site.filled, [e.reason for e in site.rejected]) == (False, ["照片不清晰"])
    assert book.how == "待核实：乡土中国"

    Entry.objects.filter(slot="book").update(status=Entry.Status.VERIFIED)
    book = member_ledger(person, YEAR).slots[0]
    assert book.filled is True
    assert book.how == f"自报已核实：《乡土中国》（{YEAR}年2月1日）"


def test_only_people_with_a_login_are_members(org, make_member):
    make_member("有账号")
    PersonFactory(organisation=org, name="无账号")

    assert [ledger.person.name for ledger in ledgers(org, YEAR)] == ["有账号"]


def test_completion_figures_by_category_party_department_and_group(org, make_member, ufd_department):
    full = make_member("全完成", department=ufd_department)
    half = make_member("完成两项")
    none = make_member("未完成")
    for slot in ("book", "report", "site", "research"):
        make_entry(full, slot=slot, status=Entry.Status.VERIFIED, on=date(YEAR, 3, 1))
    make_proposal(org, full, Status.SUBMITTED, submitted_at=at(6))
    make_entry(half, slot="book", status=Entry.Status.VERIFIED, on=date(YEAR, 3, 1))
    attend(event_of(org, "lecture"), half)
    PersonCategory.objects.create(person=full, category="democratic_party")
    PersonCategory.objects.create(person=half, category="democratic_party")
    PartyMembership.objects.create(person=full, party="minmeng")
    group = Group.objects.create(organisation=org, name="青年骨干")
    group.members.add(full, none)

    figures = completion_figures(org, YEAR)

    assert (figures["total"].members, figures["total"].complete, figures["total"].rate) == (3, 1, 33)
    category = figures["by_category"][0]
    assert (category.label, category.members, category.complete, category.rate, category.average) == (
        "民主党派成员",
        2,
        1,
        50,
        "3.5",  # (5 + 2) / 2
    )
    assert [(b.label, b.members, b.complete) for b in figures["by_party"]] == [("民盟", 1, 1)]
    assert [(b.label, b.members) for b in figures["by_department"]] == [("党委统战部", 1), ("未填写部门", 2)]
    assert [(b.label, b.members, b.complete, b.average) for b in figures["by_group"]] == [("青年骨干", 2, 1, "2.5")]
    assert [ledger.person.name for ledger in figures["low"]] == ["完成两项", "未完成"]
    assert dict(figures["by_slot"]) == {
        "读一本好书": 2,
        "听一场报告": 2,
        "参观一处教育基地": 1,
        "进行一项调研": 1,
        "提交一份议案": 1,
    }


def test_ledgers_are_bounded_in_queries(org, make_member, django_assert_max_num_queries):
    for n in range(30):
        person = make_member()
        attend(event_of(org, "lecture", title=f"报告{n}"), person)
        make_entry(person, on=timezone.localdate().replace(month=1, day=5))

    with django_assert_max_num_queries(5):
        rows = ledgers(org, YEAR)
    assert len(rows) == 30
    assert all(row.filled_count == 1 for row in rows)
