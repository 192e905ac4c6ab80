"""Suggestions in any status, built directly (fast) for tests and the access matrix."""

import itertools
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from core.tests.documents import minimal_pdf
from orgs.models import Department, Role
from people.models import Person
from proposals.models import (
    Answer,
    AnswerTemplate,
    Attachment,
    FilingKind,
    FilingLevel,
    Outcome,
    OutsideFiling,
    OutsideFilingFile,
    Proposal,
    Rating,
    Status,
)

_numbers = itertools.count(1)
PDF = minimal_pdf()


def make_proposal(
    organisation, submitter: Person, status: str = Status.SUBMITTED, *, lead=None, support=(), **fields
) -> Proposal:
    """A suggestion as it stands in `status`, with the fields that status implies. `lead` is
    needed from ASSIGNED on."""
    now = timezone.now()
    data = {
        "organisation": organisation,
        "submitter": submitter,
        "submitted_by": submitter.user,
        "title": fields.pop("title", f"关于改进食堂服务的建议{next(_numbers)}"),
        "content": "建议延长食堂晚餐供应时间。",
        "status": status,
    }
    if status != Status.DRAFT:
        data["submitted_at"] = now - timedelta(days=10)
    if status in (
        Status.ACCEPTED,
        Status.MERGED,
        Status.ASSIGNED,
        Status.ANSWER_REVIEW,
        Status.ANSWERED,
        Status.REHANDLING,
        Status.CLOSED,
    ):
        data["accepted_at"] = now - timedelta(days=9)
        data["case_number"] = f"2000-{next(_numbers):03d}"
    if status in (Status.ASSIGNED, Status.ANSWER_REVIEW, Status.ANSWERED, Status.REHANDLING, Status.CLOSED):
        data |= {
            "lead_department": lead,
            "assigned_at": now - timedelta(days=1),
            "due_date": date.today() + timedelta(days=29),
        }
    if status in (Status.REHANDLING, Status.CLOSED):
        data["round"] = 2
    if status in (Status.ANSWERED, Status.CLOSED):
        data |= {"outcome": Outcome.ADOPTED, "answered_at": now, "first_answered_at": now, "answered_on_time": True}
    if status == Status.CLOSED:
        data["closed_at"] = now
    if status == Status.REHANDLING:
        data |= {"rating": Rating.UNSATISFIED, "rated_at": now, "outcome": Outcome.REFERENCE}
    data |= fields
    proposal = Proposal.objects.create(**data)
    if support:
        proposal.support_departments.set(support)
    if status == Status.ANSWER_REVIEW:
        Answer.objects.create(proposal=proposal, department=lead, outcome=Outcome.ADOPTED, text="拟采纳。")
    if status == Status.ANSWERED:
        Answer.objects.create(
            proposal=proposal, department=lead, outcome=Outcome.ADOPTED, text="已采纳。", state=Answer.State.RELEASED
        )
    if status == Status.REHANDLING:
        Answer.objects.create(
            proposal=proposal,
            department=lead,
            outcome=Outcome.REFERENCE,
            text="留作参考。",
            state=Answer.State.RELEASED,
            rating=Rating.UNSATISFIED,
            rated_at=now,
        )
    if status == Status.CLOSED:
        Answer.objects.create(
            proposal=proposal,
            round=2,
            department=lead,
            outcome=Outcome.ADOPTED,
            text="已采纳。",
            state=Answer.State.RELEASED,
        )
    return proposal


def stored_file(name: str) -> str:
    """A small PDF under MEDIA_ROOT (made once), for attachment rows."""
    path = Path(settings.MEDIA_ROOT) / "test" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
    return f"test/{name}"


def make_filing(person, *, verified_by=None, **fields) -> OutsideFiling:
    data = {
        "organisation": person.organisation,
        "person": person,
        "kind": FilingKind.PROPOSAL,
        "body": "市政协",
        "level": FilingLevel.CITY,
        "date": date.today() - timedelta(days=5),
        "title": "关于加强职业教育产教融合的提案",
        "verified_by": verified_by,
        "verified_at": timezone.now() if verified_by else None,
    } | fields
    return OutsideFiling.objects.create(**data)


def proposal_url_kwargs(org, personas) -> dict:
    """Objects of `org` for the access matrix: the member's suggestion assigned to the liaison's
    department (so every allowed role can open it), a draft, a template, an outside filing."""
    member = Person.objects.get(user=personas[Role.MEMBER])
    lead = Department.objects.get(organisation=org, memberships__user=personas[Role.LIAISON])
    proposal = make_proposal(org, member, Status.ASSIGNED, lead=lead)
    attachment = Attachment.objects.create(
        proposal=proposal, file=stored_file("matrix.pdf"), original_name="a.pdf", kind="PDF", size=len(PDF)
    )
    draft = make_proposal(org, member, Status.DRAFT)
    template = AnswerTemplate.objects.create(organisation=org, title="纳入计划", text="已纳入年度工作计划。")
    filing = make_filing(member)
    proof = OutsideFilingFile.objects.create(
        filing=filing, file=stored_file("proof.pdf"), original_name="回执.pdf", kind="PDF", size=len(PDF)
    )
    return {
        "proposals:detail": {"pk": proposal.pk},
        "proposals:export-docx": {"pk": proposal.pk},
        "proposals:act": {"pk": proposal.pk, "action": "note"},
        "proposals:attachment": {"pk": attachment.pk},
        "proposals:handle": {"pk": proposal.pk},
        "proposals:my-detail": {"pk": proposal.pk},
        "proposals:edit": {"pk": draft.pk},
        "proposals:template-edit": {"pk": template.pk},
        "proposals:template-delete": {"pk": template.pk},
        "proposals:outside-detail": {"pk": filing.pk},
        "proposals:outside-verify": {"pk": filing.pk},
        "proposals:outside-edit": {"pk": filing.pk},
        "proposals:outside-file": {"pk": proof.pk},
    }
