"""The handling workflow after submission: review (立案, 不予立案, 并案), assignment (交办) and
objection, answers and their review, rating and closing. Each action locks the row, checks the
table (`rules.check_transition`), and takes `step`: saves, logs a `ProposalEvent`, audits,
re-syncs the plan links and notifies the submitter (and whoever acts next)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from core import audit
from core.exceptions import NotAllowed
from integrations import services as webhooks
from integrations.models import EventType
from proposals.models import (
    OBJECTION_DAYS,
    Answer,
    Attachment,
    CaseCounter,
    Proposal,
    ProposalEvent,
    ProposalNote,
    Rating,
    Status,
)
from proposals.services.notices import notify_departments, notify_staff, notify_submitter
from proposals.services.rules import (
    DUE_DAYS,
    REHANDLE_DAYS,
    Transition,
    acting_department,
    check_transition,
    latest_released,
    lock,
)
from proposals.services.targets import sync_targets


def step(
    proposal: Proposal,
    action: str,
    transition: Transition,
    *,
    by,
    to: str,
    fields: tuple[str, ...] = (),
    note: str = "",
    public: bool = True,
    member_text: str = "",
    changes: dict | None = None,
    tell_submitter: bool = True,
    request=None,
) -> Proposal:
    """Saves the new status, logs the timeline, audits, re-syncs plan links, tells the submitter
    (unless `tell_submitter` is False: steps the member must not learn of, such as an answer
    waiting for review)."""
    assert to in transition.to, f"{action} cannot lead to {to}"
    before = proposal.status
    proposal.status = to
    proposal.version = F("version") + 1
    proposal.save(update_fields=["status", "version", "updated_at", *fields])
    proposal.refresh_from_db()
    ProposalEvent.objects.create(
        proposal=proposal,
        action=action,
        label=transition.label,
        from_status=before,
        to_status=to,
        user=by,
        department=acting_department(proposal, by),
        note=note,
        is_public=public,
    )
    audit.log(
        "update",
        proposal,
        by=by,
        request=request,
        changes={"status": [Status(before).label, Status(to).label], "action": ["", transition.label]}
        | (changes or {}),
    )
    sync_targets(proposal, by=by)
    if tell_submitter:
        notify_submitter(
            proposal,
            gettext("：%(status)s") % {"status": Status(to).label},
            member_text or gettext("已%(action)s") % {"action": gettext(transition.label)},
        )
    return proposal


def _add_answer_files(answer: Answer, files, *, by) -> list[str]:
    """Saves the lead department's attachments of `answer` (already checked by content in the
    form, through `core.files`); returns their names for the audit line."""
    for upload, kind in files:
        Attachment.objects.create(
            proposal=answer.proposal,
            answer=answer,
            file=upload,
            original_name=upload.name[:200],
            kind=kind.label,
            size=upload.size,
            uploaded_by=by,
        )
    return [upload.name[:200] for upload, _kind in files]


# --- Review, assignment, handling --------------------------------------------------------------


def _allocate_case_number(organisation, year: int) -> str:
    """The next 案号 for the organisation and year ("2023-001"). The counter row is locked and
    incremented in the database, so two acceptances at once never get the same number."""
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{year}-{counter.last:03d}"


@transaction.atomic
def accept_proposal(proposal: Proposal, *, by, note: str = "", request=None) -> Proposal:
    """SUBMITTED → ACCEPTED (立案) with the next case number of the year. Notifies the submitter."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "accept", by)
    now = timezone.now()
    proposal.accepted_at = now
    proposal.case_number = _allocate_case_number(proposal.organisation, timezone.localdate(now).year)
    return step(
        proposal,
        "accept",
        transition,
        by=by,
        to=Status.ACCEPTED,
        fields=("accepted_at", "case_number"),
        note=gettext("案号 %(number)s") % {"number": proposal.case_number} + (gettext("。") + note if note else ""),
        member_text=gettext("已立案，案号 %(number)s，统战部将交有关部门办理。") % {"number": proposal.case_number},
        changes={"case_number": ["", proposal.case_number]},
        request=request,
    )


@transaction.atomic
def decline_proposal(proposal: Proposal, *, by, reason: str, request=None) -> Proposal:
    """SUBMITTED → DECLINED (不予立案) with the reason, which the submitter sees."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "decline", by)
    proposal.decline_reason = reason
    return step(
        proposal,
        "decline",
        transition,
        by=by,
        to=Status.DECLINED,
        fields=("decline_reason",),
        note=reason,
        member_text=gettext("不予立案。理由：%(reason)s") % {"reason": reason},
        request=request,
    )


@transaction.atomic
def merge_proposal(proposal: Proposal, *, by, into: Proposal, note: str = "", request=None) -> Proposal:
    """SUBMITTED/ACCEPTED → MERGED (并案) into another accepted suggestion of the organisation."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "merge", by)
    if into.pk == proposal.pk or into.organisation_id != proposal.organisation_id:
        raise NotAllowed(gettext("不能并入自身或其他单位的建言。"))
    if not into.case_number or into.status in (Status.MERGED, Status.WITHDRAWN, Status.DECLINED):
        raise NotAllowed(gettext("只能并入已立案的建言。"))
    proposal.merged_into = into
    text = gettext("并入 %(number)s“%(title)s”") % {"number": into.case_number, "title": into.title} + (
        gettext("。") + note if note else ""
    )
    proposal = step(
        proposal,
        "merge",
        transition,
        by=by,
        to=Status.MERGED,
        fields=("merged_into",),
        note=text,
        member_text=gettext("内容与%(number)s相近，已并案办理。") % {"number": into.case_number},
        request=request,
    )
    ProposalEvent.objects.create(
        proposal=into,
        action="merged_in",
        label=gettext_noop("并入建言"),
        user=by,
        note=f"{proposal.submitter.name}：{proposal.title}",
        is_public=False,
    )
    return proposal


@transaction.atomic
def assign_proposal(
    proposal: Proposal,
    *,
    by,
    lead,
    support=(),
    due_date: date | None = None,
    review_required: bool = True,
    note: str = "",
    request=None,
) -> Proposal:
    """ACCEPTED → ASSIGNED (交办), or reassigns an ASSIGNED one: the lead department, support
    departments and the due date (default 30 days). The lead may object within 7 days.
    Notifies the departments' liaisons and the submitter."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "assign", by)
    if lead is None or lead.organisation_id != proposal.organisation_id:
        raise NotAllowed(gettext("请选择本单位的主办部门。"))
    support = [d for d in dict.fromkeys(support) if d.pk != lead.pk and d.organisation_id == proposal.organisation_id]
    proposal.lead_department = lead
    proposal.assigned_at = timezone.now()
    proposal.due_date = due_date or timezone.localdate() + timedelta(days=DUE_DAYS)
    proposal.review_required = review_required
    proposal.support_departments.set(support)
    text = gettext("主办：%(lead)s") % {"lead": lead.name}
    if support:
        text += gettext("；协办：%(support)s") % {"support": gettext("、").join(d.name for d in support)}
    text += gettext("；办理时限：%(date)s") % {"date": date_format(proposal.due_date, gettext("Y年n月j日"))}
    proposal = step(
        proposal,
        "assign",
        transition,
        by=by,
        to=Status.ASSIGNED,
        fields=("lead_department", "assigned_at", "due_date", "review_required"),
        note=text + (f"。{note}" if note else ""),
        member_text=gettext("已交办。%(text)s") % {"text": text},
        changes={"assignment": ["", text]},
        request=request,
    )
    notify_departments(
        proposal,
        gettext("新交办件"),
        gettext("%(text)s。如交办不当，请在%(days)s日内提出异议。") % {"text": text, "days": OBJECTION_DAYS}
        + (f"\n{note}" if note else ""),
    )
    return proposal


@transaction.atomic
def object_to_assignment(proposal: Proposal, *, by, reason: str, request=None) -> Proposal:
    """ASSIGNED → ACCEPTED: the lead department objects within 7 days; staff reassign.
    The assignment is cleared; the step is internal (the submitter only hears it is being
    reassigned). Tells UFD staff."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "object", by)
    department = proposal.lead_department
    ProposalNote.objects.create(
        proposal=proposal, author=by, department=department, text=gettext("交办异议：%(reason)s") % {"reason": reason}
    )
    proposal.lead_department = None
    proposal.assigned_at = None
    proposal.due_date = None
    proposal.support_departments.clear()
    ProposalEvent.objects.create(
        proposal=proposal,
        action="object",
        label=transition.label,
        from_status=proposal.status,
        to_status=Status.ACCEPTED,
        user=by,
        department=department,
        note=reason,
        is_public=False,
    )
    proposal.status = Status.ACCEPTED
    proposal.version = F("version") + 1
    proposal.save(update_fields=["status", "version", "updated_at", "lead_department", "assigned_at", "due_date"])
    proposal.refresh_from_db()
    audit.log(
        "update",
        proposal,
        by=by,
        request=request,
        changes={"status": [Status.ASSIGNED.label, Status.ACCEPTED.label], "objection": ["", reason]},
    )
    notify_submitter(proposal, gettext("：正在重新交办"), gettext("统战部将重新确定承办部门。"))
    notify_staff(proposal, gettext("%(department)s对交办提出异议") % {"department": department}, reason)
    return proposal


def _release(
    proposal: Proposal,
    answer: Answer,
    *,
    by,
    transition: Transition,
    action: str,
    note: str,
    request,
    changes: dict | None = None,
):
    """Publishes `answer` to the submitter: ANSWERED after a first answer, CLOSED after the second."""
    now = timezone.now()
    answer.state = Answer.State.RELEASED
    answer.reviewed_by = by if action == "release" else None
    answer.reviewed_at = now if action == "release" else None
    answer.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    final = proposal.round >= 2
    proposal.outcome = answer.outcome
    proposal.answered_at = now
    fields = ["outcome", "answered_at"]
    if proposal.first_answered_at is None:
        proposal.first_answered_at = answer.answered_at
        proposal.answered_on_time = (
            proposal.due_date is None or timezone.localdate(answer.answered_at) <= proposal.due_date
        )
        fields += ["first_answered_at", "answered_on_time"]
    if final:
        proposal.closed_at = now
        fields.append("closed_at")
    to = Status.CLOSED if final else Status.ANSWERED
    webhooks.emit(
        proposal.organisation_id,
        EventType.PROPOSAL_ANSWERED,
        {
            "proposal_id": proposal.pk,
            "kind": proposal.kind,
            "category": proposal.category,
            "status": str(to),
            "outcome": answer.outcome,
        },
    )
    text = gettext("办理结果：%(outcome)s。") % {"outcome": answer.get_outcome_display()} + (
        gettext("这是重新办理后的最终答复，建言已办结。") if final else gettext("请查看答复并评价。")
    )
    return step(
        proposal,
        action,
        transition,
        by=by,
        to=to,
        fields=tuple(fields),
        note=note or text,
        member_text=text,
        changes={"outcome": ["", answer.get_outcome_display()]} | (changes or {}),
        request=request,
    )


@transaction.atomic
def answer_proposal(proposal: Proposal, *, by, outcome: str, text: str, files=(), request=None) -> Proposal:
    """ASSIGNED/REHANDLING → answered by the lead department, with optional attachments
    (`files`: (upload, kind) pairs checked by `core.files`). When the answer needs UFD review
    it waits in ANSWER_REVIEW (staff told; the member learns nothing of it); otherwise it is
    released at once: ANSWERED, or CLOSED when this is the second (final) answer. Notifies the
    submitter on release."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "answer", by)
    answer = Answer.objects.create(
        proposal=proposal,
        round=proposal.round,
        department=proposal.lead_department,
        outcome=outcome,
        text=text,
        answered_by=by,
    )
    names = _add_answer_files(answer, files, by=by)
    file_changes = {"files": "、".join(names)} if names else {}
    if proposal.review_required:
        proposal = step(
            proposal,
            "answer",
            transition,
            by=by,
            to=Status.ANSWER_REVIEW,
            note=gettext("办理结果：%(outcome)s（待统战部审核）") % {"outcome": answer.get_outcome_display()},
            # Nothing of an unreleased answer reaches the member: an internal step, no notice.
            public=False,
            tell_submitter=False,
            changes=file_changes,
            request=request,
        )
        notify_staff(proposal, gettext("答复待审核"), f"{proposal.lead_department}：{answer.get_outcome_display()}")
        return proposal
    return _release(
        proposal, answer, by=by, transition=transition, action="answer", note="", request=request, changes=file_changes
    )


def _pending_answer(proposal: Proposal) -> Answer:
    answer = proposal.answers.filter(state=Answer.State.PENDING).order_by("-id").first()
    if answer is None:
        raise NotAllowed(gettext("没有待审核的答复。"))
    return answer


@transaction.atomic
def release_answer(proposal: Proposal, *, by, note: str = "", request=None) -> Proposal:
    """ANSWER_REVIEW → ANSWERED (CLOSED in the second round): UFD staff approve and publish it."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "release", by)
    answer = _pending_answer(proposal)
    if note:
        answer.review_note = note
        answer.save(update_fields=["review_note"])
    return _release(proposal, answer, by=by, transition=transition, action="release", note="", request=request)


@transaction.atomic
def return_answer(proposal: Proposal, *, by, reason: str, request=None) -> Proposal:
    """ANSWER_REVIEW → back to the lead department (ASSIGNED, or REHANDLING in round two) with
    the reason. Internal step; the liaisons are told."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "return_answer", by)
    answer = _pending_answer(proposal)
    answer.state = Answer.State.RETURNED
    answer.reviewed_by, answer.reviewed_at, answer.review_note = by, timezone.now(), reason
    answer.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    to = Status.REHANDLING if proposal.round >= 2 else Status.ASSIGNED
    proposal = step(
        proposal,
        "return_answer",
        transition,
        by=by,
        to=to,
        note=reason,
        public=False,
        tell_submitter=False,
        request=request,
    )
    notify_departments(proposal, gettext("答复被退回，请修改"), reason, lead_only=True)
    return proposal


@transaction.atomic
def rate_proposal(proposal: Proposal, *, by, rating: str, comment: str = "", request=None) -> Proposal:
    """The submitter rates the released answer. 满意/基本满意 → CLOSED. 不满意 on the first
    answer → REHANDLING (once; new due date 15 days; the lead department and staff are told).
    Rating the final answer of a closed suggestion records the rating only."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "rate", by)
    answer = latest_released(proposal)
    now = timezone.now()
    answer.rating, answer.rating_comment, answer.rated_at = rating, comment, now
    answer.save(update_fields=["rating", "rating_comment", "rated_at"])
    proposal.rating, proposal.rated_at = rating, now
    fields = ["rating", "rated_at"]
    label = Rating(rating).label
    note = gettext("评价：%(rating)s") % {"rating": label} + (gettext("。") + comment if comment else "")
    if proposal.status == Status.ANSWERED and rating == Rating.UNSATISFIED and proposal.round == 1:
        proposal.round = 2
        proposal.due_date = timezone.localdate(now) + timedelta(days=REHANDLE_DAYS)
        fields += ["round", "due_date"]
        proposal = step(
            proposal,
            "rate",
            transition,
            by=by,
            to=Status.REHANDLING,
            fields=tuple(fields),
            note=note,
            member_text=gettext("已退回承办部门重新办理，重新办理后的答复为最终答复。"),
            changes={"rating": ["", label]},
            request=request,
        )
        notify_departments(proposal, gettext("提出人不满意，请重新办理"), comment, lead_only=True)
        notify_staff(proposal, gettext("提出人对答复不满意"), comment)
        return proposal
    if proposal.status == Status.ANSWERED:
        proposal.closed_at = now
        fields.append("closed_at")
    return step(
        proposal,
        "rate",
        transition,
        by=by,
        to=Status.CLOSED,
        fields=tuple(fields),
        note=note,
        member_text=gettext("感谢您的评价，建言已办结。"),
        changes={"rating": ["", label]},
        request=request,
    )


@transaction.atomic
def close_proposal(proposal: Proposal, *, by, note: str = "", request=None) -> Proposal:
    """ANSWERED → CLOSED by UFD staff (e.g. the submitter did not rate in time)."""
    proposal = lock(proposal)
    transition = check_transition(proposal, "close", by)
    proposal.closed_at = timezone.now()
    return step(
        proposal,
        "close",
        transition,
        by=by,
        to=Status.CLOSED,
        fields=("closed_at",),
        note=note,
        member_text=gettext("已办结。您仍可对答复作出评价。"),
        request=request,
    )
