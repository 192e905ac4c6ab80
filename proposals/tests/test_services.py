import uuid
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from notifications.models import Notification
from plans.models import Item, Plan, Section, Target
from proposals import queries, services
from proposals.models import (
    Answer,
    CaseCounter,
    CoSigner,
    FilingStatus,
    Outcome,
    Proposal,
    ProposalTarget,
    Rating,
    Status,
)
from proposals.tests.factories import make_filing, make_proposal

DATA = {
    "kind": "suggestion",
    "category": "logistics",
    "title": "关于延长图书馆开放时间的建议",
    "content": "建议周末开放到晚上十点。",
}


@pytest.fixture
def target(org):
    plan = Plan.objects.create(organisation=org, year=2023, title="2023年统战工作要点")
    section = Section.objects.create(plan=plan, number=1, title="建言献策")
    item = Item.objects.create(
        plan=plan, section=section, number=4, title="组织党外人士建言献策", due_date=date(2023, 12, 31)
    )
    return Target.objects.create(item=item, text="收集建言10条", count=10)


def walk_to_answered(proposal, *, staff, liaison, lead, review=False):
    proposal = services.accept_proposal(proposal, by=staff)
    proposal = services.assign_proposal(proposal, by=staff, lead=lead, review_required=review)
    return services.answer_proposal(proposal, by=liaison, outcome=Outcome.REFERENCE, text="留作参考。")


def test_full_workflow_with_unsatisfied_rating_and_final_answer(
    org, ufd_staff, liaison, member, submitter, student_department
):
    proposal, created = services.save_draft(org, by=member, submitter=submitter, data=DATA, client_token=uuid.uuid4())
    assert created and proposal.status == Status.DRAFT
    proposal = services.submit_proposal(proposal, by=member)
    proposal = walk_to_answered(proposal, staff=ufd_staff, liaison=liaison, lead=student_department)
    assert proposal.status == Status.ANSWERED
    assert proposal.answered_on_time is True

    proposal = services.rate_proposal(proposal, by=member, rating=Rating.UNSATISFIED, comment="没有具体措施")
    assert (proposal.status, proposal.round) == (Status.REHANDLING, 2)
    assert proposal.due_date == timezone.localdate() + timedelta(days=services.REHANDLE_DAYS)

    proposal = services.answer_proposal(proposal, by=liaison, outcome=Outcome.PARTLY, text="周六开放到晚十点。")
    assert proposal.status == Status.CLOSED
    assert proposal.outcome == Outcome.PARTLY
    assert proposal.closed_at is not None
    # The final answer can still be rated; it never goes back again.
    proposal = services.rate_proposal(proposal, by=member, rating=Rating.BASIC)
    assert (proposal.status, proposal.rating) == (Status.CLOSED, Rating.BASIC)
    with pytest.raises(services.NotAllowed):
        services.rate_proposal(proposal, by=member, rating=Rating.UNSATISFIED, comment="x")

    public = list(proposal.events.filter(is_public=True).values_list("action", flat=True))
    assert public == ["submit", "accept", "assign", "answer", "rate", "answer", "rate"]
    titles = list(Notification.objects.filter(user=member).values_list("title", flat=True))
    assert len(titles) == 7
    assert titles[0].endswith("已办结")  # newest first
    assert AuditEvent.objects.filter(object_type="proposals.proposal", object_id=str(proposal.pk)).count() == 8


def test_review_before_release(org, ufd_staff, liaison, member, submitter, student_department):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    proposal = walk_to_answered(proposal, staff=ufd_staff, liaison=liaison, lead=student_department, review=True)
    assert proposal.status == Status.ANSWER_REVIEW
    assert proposal.outcome == ""  # not visible to the submitter yet
    proposal = services.return_answer(proposal, by=ufd_staff, reason="请写明理由")
    assert proposal.status == Status.ASSIGNED
    assert proposal.events.get(action="return_answer").is_public is False
    proposal = services.answer_proposal(proposal, by=liaison, outcome=Outcome.ADOPTED, text="已采纳。")
    proposal = services.release_answer(proposal, by=ufd_staff)
    assert (proposal.status, proposal.outcome) == (Status.ANSWERED, Outcome.ADOPTED)
    assert list(proposal.answers.values_list("state", flat=True)) == [Answer.State.RETURNED, Answer.State.RELEASED]


def test_case_numbers_run_per_organisation_and_year(org, other_org, ufd_staff, other_personas, submitter):
    from people.tests.factories import PersonFactory

    numbers = [services.accept_proposal(make_proposal(org, submitter), by=ufd_staff).case_number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"{year}-001", f"{year}-002", f"{year}-003"]
    foreign = make_proposal(other_org, PersonFactory(organisation=other_org))
    from orgs.models import Role

    assert services.accept_proposal(foreign, by=other_personas[Role.UFD_STAFF]).case_number == f"{year}-001"
    assert CaseCounter.objects.get(organisation=org, year=year).last == 3


def test_case_number_is_unique_in_the_database(org, submitter):
    from django.db import IntegrityError, transaction

    make_proposal(org, submitter, Status.ACCEPTED, case_number="2023-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_proposal(org, submitter, Status.ACCEPTED, case_number="2023-001")


def test_same_form_twice_makes_one_suggestion(org, member, submitter):
    token = uuid.uuid4()
    first, created = services.save_draft(org, by=member, submitter=submitter, data=DATA, client_token=token)
    services.submit_proposal(first, by=member)
    second, created_again = services.save_draft(org, by=member, submitter=submitter, data=DATA, client_token=token)
    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    assert Proposal.objects.filter(submitter=submitter).count() == 1


def test_on_behalf_submits_at_once_and_only_once(org, ufd_staff, submitter):
    token = uuid.uuid4()
    data = DATA | {"source": "5月座谈会"}
    proposal, created = services.submit_on_behalf(org, by=ufd_staff, submitter=submitter, data=data, client_token=token)
    again, created_again = services.submit_on_behalf(
        org, by=ufd_staff, submitter=submitter, data=data, client_token=token
    )
    assert (created, created_again, again.pk) == (True, False, proposal.pk)
    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_by == ufd_staff
    assert "代为录入" in proposal.events.get(action="submit").note
    # staff who entered it may withdraw it; the member may too
    assert "withdraw" in services.allowed_actions(proposal, ufd_staff)


def test_cosigners_confirm_and_are_told(org, member, submitter, cosigner_user):
    cosigner = cosigner_user.person
    proposal, _ = services.save_draft(
        org, by=member, submitter=submitter, data=DATA, client_token=uuid.uuid4(), cosigners=[cosigner]
    )
    with pytest.raises(services.NotAllowed):  # not invited until submitted
        services.confirm_cosign(proposal, by=cosigner_user, agree=True)
    services.submit_proposal(proposal, by=member)
    assert Notification.objects.filter(user=cosigner_user, title__contains="邀请您联名").count() == 1
    services.confirm_cosign(proposal, by=cosigner_user, agree=True)
    assert CoSigner.objects.get(proposal=proposal).confirmed_at is not None
    with pytest.raises(services.NotAllowed):
        services.confirm_cosign(proposal, by=cosigner_user, agree=False)
    with pytest.raises(services.NotAllowed):
        services.confirm_cosign(proposal, by=member, agree=True)


def test_objection_only_within_seven_days(org, ufd_staff, liaison, submitter, student_department):
    proposal = make_proposal(
        org, submitter, Status.ASSIGNED, lead=student_department, assigned_at=timezone.now() - timedelta(days=8)
    )
    assert "object" not in services.allowed_actions(proposal, liaison)
    with pytest.raises(services.NotAllowed, match="7天"):
        services.object_to_assignment(proposal, by=liaison, reason="不归我们管")
    fresh = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department)
    fresh = services.object_to_assignment(fresh, by=liaison, reason="应由后勤处主办")
    assert (fresh.status, fresh.lead_department, fresh.due_date) == (Status.ACCEPTED, None, None)
    assert fresh.notes.get().text == "交办异议：应由后勤处主办"
    assert Notification.objects.filter(user=ufd_staff, title__contains="提出异议").exists()


def test_merge_needs_an_accepted_suggestion(org, ufd_staff, submitter):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    with pytest.raises(services.NotAllowed):
        services.merge_proposal(proposal, by=ufd_staff, into=make_proposal(org, submitter, Status.SUBMITTED))
    main = make_proposal(org, submitter, Status.ACCEPTED)
    proposal = services.merge_proposal(proposal, by=ufd_staff, into=main)
    assert (proposal.status, proposal.merged_into) == (Status.MERGED, main)
    assert main.events.filter(action="merged_in").exists()


def test_support_department_adds_input_but_cannot_answer(
    org, ufd_staff, liaison, support_liaison, submitter, student_department, support_department
):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, support=[support_department])
    note = services.add_note(proposal, by=support_liaison, text="建议与后勤处共同调整排班")
    assert note.is_input and note.department == support_department
    assert Notification.objects.filter(user=liaison, title__contains="协办意见").exists()
    with pytest.raises(services.NotAllowed):
        services.answer_proposal(proposal, by=support_liaison, outcome=Outcome.ADOPTED, text="x")


def test_flags_need_the_right_state(org, ufd_staff, submitter):
    submitted = make_proposal(org, submitter, Status.SUBMITTED)
    with pytest.raises(services.NotAllowed):
        services.set_flags(submitted, by=ufd_staff, excellent=False, published=True)
    answered = make_proposal(org, submitter, Status.ANSWERED)
    answered = services.set_flags(answered, by=ufd_staff, excellent=True, published=True)
    assert answered.is_excellent and answered.is_published


def test_plan_target_counts_on_receipt_and_is_withdrawn_on_withdrawal(org, ufd_staff, member, submitter, target):
    proposal = make_proposal(org, submitter, Status.SUBMITTED, submitted_by=member)
    services.link_target(proposal, by=ufd_staff, target=target, basis=ProposalTarget.Basis.RECEIVED)
    target.refresh_from_db()
    assert target.achieved == 1
    services.withdraw_proposal(proposal, by=member)
    target.refresh_from_db()
    assert target.achieved == 0


def test_plan_target_counts_on_adoption(org, ufd_staff, liaison, submitter, student_department, target):
    proposal = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, review_required=False)
    services.link_target(proposal, by=ufd_staff, target=target, basis=ProposalTarget.Basis.ADOPTED)
    target.refresh_from_db()
    assert target.achieved == 0
    services.answer_proposal(proposal, by=liaison, outcome=Outcome.ADOPTED, text="采纳")
    target.refresh_from_db()
    assert target.achieved == 1
    assert target.item.events.filter(note__contains="计入").exists()


def test_declined_suggestion_stops_counting(org, ufd_staff, submitter, target):
    proposal = make_proposal(org, submitter, Status.SUBMITTED)
    services.link_target(proposal, by=ufd_staff, target=target, basis=ProposalTarget.Basis.RECEIVED)
    services.decline_proposal(proposal, by=ufd_staff, reason="重复")
    target.refresh_from_db()
    assert target.achieved == 0


def test_overdue_and_due_soon(org, submitter, student_department):
    today = timezone.localdate()
    late = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, due_date=today - timedelta(days=1))
    soon = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, due_date=today + timedelta(days=3))
    later = make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, due_date=today + timedelta(days=4))
    make_proposal(org, submitter, Status.ANSWERED, lead=student_department, due_date=today - timedelta(days=9))
    assert list(queries.overdue_proposals(org)) == [late]
    assert (late.light, soon.light, later.light) == ("red", "amber", "")
    assert list(Proposal.objects.due_soon()) == [soon]


def test_reminder_command_notifies_the_lead_department_once(org, liaison, submitter, student_department):
    today = timezone.localdate()
    for days in (-2, 1):
        make_proposal(org, submitter, Status.ASSIGNED, lead=student_department, due_date=today + timedelta(days=days))
    from io import StringIO

    out = StringIO()
    call_command("remind_overdue_proposals", stdout=out)
    assert out.getvalue().strip() == "已提醒 2 件即将到期或已逾期的建言"
    notice = Notification.objects.get(user=liaison)
    assert notice.title == "建言办理提醒：2 件待答复（1 件已逾期）"


def test_reminder_command_rejects_bad_input(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("remind_overdue_proposals", today="not-a-date")
    with pytest.raises(CommandError):
        call_command("remind_overdue_proposals", org="nowhere")


def test_periodic_task_calls_the_service(org, liaison, submitter, student_department):
    from proposals.tasks import remind_overdue_proposals

    make_proposal(
        org, submitter, Status.ASSIGNED, lead=student_department, due_date=timezone.localdate() - timedelta(days=1)
    )
    remind_overdue_proposals.call_local()
    assert Notification.objects.filter(user=liaison).count() == 1


def test_figures(org, submitter, student_department):
    year = timezone.localdate().year
    make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.DRAFT)
    make_proposal(org, submitter, Status.WITHDRAWN)
    make_proposal(
        org, submitter, Status.CLOSED, lead=student_department, outcome=Outcome.ADOPTED, rating=Rating.SATISFIED
    )
    make_proposal(
        org,
        submitter,
        Status.CLOSED,
        lead=student_department,
        outcome=Outcome.NOT_ADOPTED,
        rating=Rating.UNSATISFIED,
        answered_on_time=False,
    )
    make_proposal(org, submitter, Status.ANSWERED, lead=student_department, outcome=Outcome.PARTLY, category="safety")
    numbers = queries.figures(org, year=year)
    total = numbers["total"]
    assert (total.submitted, total.accepted, total.answered, total.on_time) == (4, 3, 3, 2)
    assert (total.adoption_rate, total.satisfaction_rate, total.on_time_rate) == ("66.7%", "50.0%", "66.7%")
    assert [(r.label, r.submitted) for r in numbers["by_category"]] == [("校园安全", 1), ("其他", 3)]
    assert [(r.label, r.answered) for r in numbers["by_department"]] == [("学生工作处", 3), ("未交办", 0)]
    assert queries.figures(org, year=year - 1)["total"].submitted == 0


def test_five_ones_proposals_count_submitted_suggestions_and_verified_filings(org, ufd_staff, submitter):
    year = timezone.localdate().year
    make_proposal(org, submitter, Status.SUBMITTED)
    make_proposal(org, submitter, Status.DECLINED)
    make_proposal(org, submitter, Status.DRAFT)
    make_proposal(org, submitter, Status.WITHDRAWN)
    make_filing(submitter, verified_by=ufd_staff)
    make_filing(submitter)  # not verified yet
    make_filing(submitter, verified_by=ufd_staff, date=date(year - 1, 6, 1))

    def count(year):
        return len(queries.submitted_proposals_by_person(organisation=org, year=year).get(submitter.pk, []))

    assert count(year) == 3
    assert count(year - 1) == 1


def test_outside_filing_edit_clears_verification(org, ufd_staff, member, submitter):
    filing = make_filing(submitter, verified_by=ufd_staff)
    data = {"status": FilingStatus.ADOPTED}
    filing = services.update_outside_filing(filing, by=member, data=data, version=filing.version)
    assert (filing.status, filing.verified_at) == (FilingStatus.ADOPTED, None)
    with pytest.raises(services.StaleEdit):
        services.update_outside_filing(filing, by=member, data=data, version=filing.version - 1)


def test_outside_statistics(org, ufd_staff, submitter, cosigner_user):
    year = timezone.localdate().year
    make_filing(submitter, verified_by=ufd_staff, status=FilingStatus.ADOPTED)
    make_filing(submitter, verified_by=ufd_staff, kind="opinion", status=FilingStatus.ENDORSED)
    make_filing(submitter)
    make_filing(cosigner_user.person, verified_by=ufd_staff, kind="bill")
    rows, total = queries.outside_statistics(org, year=year)
    assert [(r.name, r.total, r.unverified) for r in rows] == [("张建言", 2, 1), ("李联名", 1, 0)]
    assert rows[0].by_kind == {"proposal": 1, "bill": 0, "suggestion": 0, "opinion": 1}
    assert rows[0].by_status["endorsed"] == 1
    assert (total.total, total.unverified, total.by_kind["bill"]) == (3, 1, 1)
