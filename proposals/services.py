"""Suggestion services. THE state machine is `TRANSITIONS`: (status, action) → the statuses the
action may lead to and the roles that may take it. Each action has one function below; it locks
the row, checks the table (`_check`), saves, logs a `ProposalEvent`, audits, re-syncs the plan
links and notifies the submitter (and whoever acts next).

Roles a user holds towards one suggestion (`roles_of`):
  author     the member whose suggestion it is, or the UFD staff who entered it on their behalf
  submitter  the member whose suggestion it is (only they rate the answer)
  staff      UFD staff of the suggestion's organisation
  lead       a liaison of the lead department (主办) — answers, may object within 7 days
  support    a liaison of a support department (协办) — adds input notes, nothing else

Plan links (`ProposalTarget`) follow one rule, re-applied after every step: a "收到即计入" link
counts while the suggestion is submitted and not withdrawn or declined (a merged one was still
received); an "采纳后计入" link counts while its released answer is 采纳 or 部分采纳. When the rule
holds `plans.services.record_achievement` is called (idempotent), otherwise `withdraw_achievement`.

Query functions for other modules: `overdue_proposals(org)` (the supervision board); the five
ones' reads are in `proposals/queries.py`."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core import audit
from core.concurrency import StaleEdit, update_if_unchanged
from integrations import services as webhooks
from integrations.models import EventType
from notifications.services import notify
from orgs.models import Membership, Role
from plans import services as plan_services
from proposals.models import (
    ADOPTED_OUTCOMES,
    ANSWERED_STATES,
    HANDLING,
    OBJECTION_DAYS,
    SATISFIED_RATINGS,
    Answer,
    AnswerTemplate,
    Attachment,
    CaseCounter,
    Category,
    CoSigner,
    FilingKind,
    FilingStatus,
    Kind,
    OutsideFiling,
    OutsideFilingFile,
    Proposal,
    ProposalEvent,
    ProposalNote,
    ProposalTarget,
    Rating,
    Status,
)

DUE_DAYS = 30  # default handling time from assignment
REHANDLE_DAYS = 15  # handling time after an unsatisfied rating
MAX_ATTACHMENTS = 5

AUTHOR, SUBMITTER, STAFF, LEAD, SUPPORT = "author", "submitter", "staff", "lead", "support"
ROLE_LABELS = {
    AUTHOR: _("提出人/录入人"),
    SUBMITTER: _("提出人"),
    STAFF: _("统战部"),
    LEAD: _("主办部门"),
    SUPPORT: _("协办部门"),
}


class NotAllowed(Exception):
    """The action is not open to this user or in this state; the message says why."""


@dataclass(frozen=True)
class Transition:
    to: tuple[str, ...]  # the statuses the action may lead to; the function picks by its input
    roles: frozenset[str]
    label: str


def _t(to, roles, label: str) -> Transition:
    return Transition(tuple(to), frozenset(roles), label)


S = Status
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.DRAFT, "submit"): _t([S.SUBMITTED], {AUTHOR}, gettext_noop("提交")),
    (S.SUBMITTED, "withdraw"): _t([S.WITHDRAWN], {AUTHOR}, gettext_noop("撤回")),
    (S.SUBMITTED, "accept"): _t([S.ACCEPTED], {STAFF}, gettext_noop("立案")),
    (S.SUBMITTED, "decline"): _t([S.DECLINED], {STAFF}, gettext_noop("不予立案")),
    (S.SUBMITTED, "merge"): _t([S.MERGED], {STAFF}, gettext_noop("并案")),
    (S.ACCEPTED, "merge"): _t([S.MERGED], {STAFF}, gettext_noop("并案")),
    (S.ACCEPTED, "assign"): _t([S.ASSIGNED], {STAFF}, gettext_noop("交办")),
    (S.ASSIGNED, "assign"): _t([S.ASSIGNED], {STAFF}, gettext_noop("重新交办")),
    (S.ASSIGNED, "object"): _t([S.ACCEPTED], {LEAD}, gettext_noop("对交办提出异议")),
    (S.ASSIGNED, "answer"): _t([S.ANSWER_REVIEW, S.ANSWERED], {LEAD}, gettext_noop("答复")),
    (S.REHANDLING, "answer"): _t([S.ANSWER_REVIEW, S.CLOSED], {LEAD}, gettext_noop("再次答复")),
    (S.ANSWER_REVIEW, "release"): _t([S.ANSWERED, S.CLOSED], {STAFF}, gettext_noop("审核通过并发布答复")),
    (S.ANSWER_REVIEW, "return_answer"): _t([S.ASSIGNED, S.REHANDLING], {STAFF}, gettext_noop("退回答复")),
    (S.ANSWERED, "rate"): _t([S.CLOSED, S.REHANDLING], {SUBMITTER}, gettext_noop("评价答复")),
    (S.CLOSED, "rate"): _t([S.CLOSED], {SUBMITTER}, gettext_noop("评价最终答复")),
    (S.ANSWERED, "close"): _t([S.CLOSED], {STAFF}, gettext_noop("办结")),
}
ACTIONS = sorted({action for _, action in TRANSITIONS})


# --- Who may do what -------------------------------------------------------------------------


def _membership(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


def liaison_department_ids(user) -> set[int]:
    membership = _membership(user)
    if membership is None or membership.role != Role.LIAISON:
        return set()
    return {d.pk for d in membership.departments.all()}


def roles_of(proposal: Proposal, user) -> frozenset[str]:
    """The roles `user` holds towards `proposal` (see the module docstring)."""
    membership = _membership(user)
    if membership is None or membership.organisation_id != proposal.organisation_id:
        return frozenset()
    roles = set()
    if membership.role == Role.UFD_STAFF:
        roles.add(STAFF)
        if proposal.submitted_by_id == user.pk:
            roles.add(AUTHOR)
    elif membership.role == Role.LIAISON:
        ids = liaison_department_ids(user)
        if proposal.lead_department_id in ids:
            roles.add(LEAD)
        if ids & {d.pk for d in proposal.support_departments.all()}:
            roles.add(SUPPORT)
    elif membership.role == Role.MEMBER and proposal.submitter.user_id == user.pk:
        roles |= {AUTHOR, SUBMITTER}
    return frozenset(roles)


def _latest_released(proposal: Proposal) -> Answer | None:
    return proposal.answers.filter(state=Answer.State.RELEASED).order_by("-round", "-answered_at", "-id").first()


def _blocked(proposal: Proposal, action: str) -> str:
    """Why a transition the table allows cannot happen now ("" when it can)."""
    if action == "object" and proposal.assigned_at and timezone.now() > proposal.objection_deadline:
        return gettext("交办已超过%(days)s天，不能再提出异议，请与统战部沟通。") % {"days": OBJECTION_DAYS}
    if action == "rate" and proposal.status == Status.CLOSED:
        answer = _latest_released(proposal)
        if answer is None or answer.rating:
            return gettext("该建言已办结并已评价。")
    return ""


def allowed_actions(proposal: Proposal, user) -> list[str]:
    """The actions `user` may take on `proposal` now (for showing the right forms)."""
    roles = roles_of(proposal, user)
    return [
        action
        for (status, action), t in TRANSITIONS.items()
        if status == proposal.status and t.roles & roles and not _blocked(proposal, action)
    ]


def _check(proposal: Proposal, action: str, by) -> Transition:
    transition = TRANSITIONS.get((proposal.status, action))
    if transition is None:
        raise NotAllowed(
            gettext("该建言当前状态为“%(status)s”，不能执行此操作。") % {"status": proposal.get_status_display()}
        )
    if not transition.roles & roles_of(proposal, by):
        roles = gettext("或").join(str(ROLE_LABELS[r]) for r in sorted(transition.roles))
        raise NotAllowed(
            gettext("只有%(roles)s可以%(action)s。") % {"roles": roles, "action": gettext(transition.label)}
        )
    reason = _blocked(proposal, action)
    if reason:
        raise NotAllowed(reason)
    return transition


def _lock(proposal: Proposal) -> Proposal:
    """The row, locked for this transaction, so two people acting at once cannot both pass."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


# --- Notifications ---------------------------------------------------------------------------


def _submitter_users(proposal: Proposal) -> list:
    """The submitter and the co-signers who confirmed."""
    users = [proposal.submitter.user]
    confirmed = proposal.cosigners.filter(confirmed_at__isnull=False).select_related("person__user")
    users += [c.person.user for c in confirmed]
    return [u for u in users if u is not None]


def _notify_submitter(proposal: Proposal, title: str, body: str = "") -> None:
    notify(
        _submitter_users(proposal),
        organisation=proposal.organisation,
        title=gettext("您的%(kind)s“%(title)s”%(what)s")
        % {"kind": proposal.get_kind_display(), "title": proposal.title[:40], "what": title},
        body=body,
        url=reverse("proposals:my-detail", args=[proposal.pk]),
        email=True,
    )


def _notify_staff(proposal: Proposal, title: str, body: str = "") -> None:
    memberships = Membership.objects.filter(organisation=proposal.organisation_id, role=Role.UFD_STAFF)
    notify(
        [m.user for m in memberships.select_related("user")],
        organisation=proposal.organisation,
        title=f"{title}：{proposal.title[:40]}",
        body=body,
        url=reverse("proposals:detail", args=[proposal.pk]),
    )


def _notify_departments(proposal: Proposal, title: str, body: str = "", *, lead_only: bool = False) -> int:
    ids = [proposal.lead_department_id] if proposal.lead_department_id else []
    if not lead_only:
        ids += [d.pk for d in proposal.support_departments.all()]
    memberships = (
        Membership.objects.filter(organisation=proposal.organisation_id, role=Role.LIAISON, departments__in=ids)
        .select_related("user")
        .distinct()
    )
    return notify(
        [m.user for m in memberships],
        organisation=proposal.organisation,
        title=f"{title}：{proposal.title[:40]}",
        body=body,
        url=reverse("proposals:handle", args=[proposal.pk]),
        email=True,
    )


# --- The step every transition takes ----------------------------------------------------------


def _acting_department(proposal: Proposal, by):
    ids = liaison_department_ids(by)
    if proposal.lead_department_id in ids:
        return proposal.lead_department
    return next((d for d in proposal.support_departments.all() if d.pk in ids), None)


def _step(
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
        department=_acting_department(proposal, by),
        note=note,
        is_public=public,
    )
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"status": [Status(before).label, Status(to).label], "action": ["", transition.label]}
        | (changes or {}),
    )
    sync_targets(proposal, by=by)
    if tell_submitter:
        _notify_submitter(
            proposal,
            gettext("：%(status)s") % {"status": Status(to).label},
            member_text or gettext("已%(action)s") % {"action": gettext(transition.label)},
        )
    return proposal


# --- Drafts and submission --------------------------------------------------------------------

DRAFT_FIELDS = ["kind", "category", "title", "content", "source"]


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


def _add_files(proposal: Proposal, files, *, by) -> None:
    if proposal.attachments.filter(answer__isnull=True).count() + len(files) > MAX_ATTACHMENTS:
        raise NotAllowed(gettext("每条建言最多 %(count)s 个附件。") % {"count": MAX_ATTACHMENTS})
    for upload, kind in files:
        Attachment.objects.create(
            proposal=proposal,
            file=upload,
            original_name=upload.name[:200],
            kind=kind.label,
            size=upload.size,
            uploaded_by=by,
        )


def _set_cosigners(proposal: Proposal, people) -> None:
    people = [p for p in dict.fromkeys(people) if p.pk != proposal.submitter_id]
    proposal.cosigners.exclude(person__in=people).delete()
    existing = set(proposal.cosigners.values_list("person_id", flat=True))
    CoSigner.objects.bulk_create([CoSigner(proposal=proposal, person=p) for p in people if p.pk not in existing])


def _fill(proposal: Proposal, data: dict) -> None:
    for field in DRAFT_FIELDS:
        if field in data:
            setattr(proposal, field, data[field])


@transaction.atomic
def save_draft(
    organisation, *, by, submitter, data: dict, client_token, files=(), cosigners=(), request=None
) -> tuple[Proposal, bool]:
    """Creates a draft from the new-suggestion form. Idempotent per form: when the same form
    (`client_token`) was posted before, the row it made is returned (and, while still a draft,
    updated) instead of a second one. Returns (proposal, created). Audits."""
    existing = Proposal.objects.select_for_update().filter(submitter=submitter, client_token=client_token).first()
    if existing is None:
        try:
            with transaction.atomic():
                proposal = Proposal(
                    organisation=organisation, submitter=submitter, submitted_by=by, client_token=client_token
                )
                _fill(proposal, data)
                proposal.save()
        except IntegrityError:  # the same form posted twice at the same moment
            existing = Proposal.objects.get(submitter=submitter, client_token=client_token)
    if existing is not None:
        if existing.status == Status.DRAFT:
            _fill(existing, data)
            existing.save()
            _set_cosigners(existing, cosigners)
        return existing, False
    _set_cosigners(proposal, cosigners)
    _add_files(proposal, files, by=by)
    audit.record(
        "create",
        user=by,
        organisation=organisation,
        obj=proposal,
        request=request,
        changes=audit.diff({}, audit.snapshot(proposal, ["kind", "category", "title", "submitter"])),
    )
    return proposal, True


@transaction.atomic
def update_draft(
    proposal: Proposal, *, by, data: dict, version: int, files=(), cosigners=(), remove=(), request=None
) -> Proposal:
    """Saves an edit of a draft if nobody saved since `version` was read (else StaleEdit);
    only the author may, and only while it is a draft. Audits the changed fields."""
    proposal = _lock(proposal)
    if proposal.status != Status.DRAFT or AUTHOR not in roles_of(proposal, by):
        raise NotAllowed(gettext("只能修改自己的草稿。"))
    if proposal.version != version:
        raise StaleEdit
    before = audit.snapshot(proposal, DRAFT_FIELDS)
    _fill(proposal, data)
    proposal.version = F("version") + 1
    proposal.save()
    proposal.refresh_from_db()
    _set_cosigners(proposal, cosigners)
    for attachment in proposal.attachments.filter(pk__in=[a.pk for a in remove]):
        attachment.file.delete(save=False)
        attachment.delete()
    _add_files(proposal, files, by=by)
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes=audit.diff(before, audit.snapshot(proposal, DRAFT_FIELDS)),
    )
    return proposal


@transaction.atomic
def delete_draft(proposal: Proposal, *, by, request=None) -> None:
    """The author deletes a draft (submitted ones are withdrawn instead). Audits."""
    proposal = _lock(proposal)
    if proposal.status != Status.DRAFT or AUTHOR not in roles_of(proposal, by):
        raise NotAllowed(gettext("只能删除自己的草稿。"))
    audit.record("delete", user=by, organisation=proposal.organisation, obj=proposal, request=request)
    for attachment in proposal.attachments.all():
        attachment.file.delete(save=False)
    proposal.delete()


@transaction.atomic
def submit_proposal(proposal: Proposal, *, by, request=None) -> Proposal:
    """DRAFT → SUBMITTED. Asks the co-signers to confirm; tells UFD staff; notifies the submitter."""
    proposal = _lock(proposal)
    transition = _check(proposal, "submit", by)
    proposal.submitted_at = timezone.now()
    on_behalf = proposal.submitted_by_id and proposal.submitted_by_id != proposal.submitter.user_id
    note = ""
    if on_behalf:
        note = (
            gettext("由统战部代为录入（%(source)s）") % {"source": proposal.source}
            if proposal.source
            else gettext("由统战部代为录入")
        )
    proposal = _step(
        proposal,
        "submit",
        transition,
        by=by,
        to=Status.SUBMITTED,
        fields=("submitted_at",),
        note=note,
        member_text=gettext("已提交，统战部将尽快审核。"),
        request=request,
    )
    pending = proposal.cosigners.filter(confirmed_at__isnull=True, declined_at__isnull=True).select_related("person")
    notify(
        [c.person.user for c in pending],
        organisation=proposal.organisation,
        title=gettext("%(name)s邀请您联名：%(title)s")
        % {"name": proposal.submitter.name, "title": proposal.title[:40]},
        body=gettext("请查看内容并确认是否联名。"),
        url=reverse("proposals:my-detail", args=[proposal.pk]),
        email=True,
    )
    _notify_staff(proposal, gettext("新%(kind)s待审核") % {"kind": proposal.get_kind_display()})
    return proposal


@transaction.atomic
def submit_on_behalf(
    organisation, *, by, submitter, data: dict, client_token, files=(), cosigners=(), request=None
) -> tuple[Proposal, bool]:
    """UFD staff enter a member's suggestion (e.g. from a symposium's feedback) and submit it at
    once. Idempotent per form like `save_draft`. Returns (proposal, created)."""
    proposal, created = save_draft(
        organisation,
        by=by,
        submitter=submitter,
        data=data,
        client_token=client_token,
        files=files,
        cosigners=cosigners,
        request=request,
    )
    if proposal.status == Status.DRAFT:
        proposal = submit_proposal(proposal, by=by, request=request)
    return proposal, created


@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, by, reason: str = "", request=None) -> Proposal:
    """SUBMITTED → WITHDRAWN (only before it is accepted). Notifies the submitter."""
    proposal = _lock(proposal)
    transition = _check(proposal, "withdraw", by)
    return _step(proposal, "withdraw", transition, by=by, to=Status.WITHDRAWN, note=reason, request=request)


@transaction.atomic
def confirm_cosign(proposal: Proposal, *, by, agree: bool, request=None) -> CoSigner:
    """A co-signer confirms (or declines) signing. Logged on the timeline; tells the submitter."""
    proposal = _lock(proposal)
    cosigner = proposal.cosigners.filter(person__user=by).select_related("person").first()
    if cosigner is None or proposal.status == Status.DRAFT:
        raise NotAllowed(gettext("您不是该建言的联名人。"))
    if cosigner.confirmed_at or cosigner.declined_at:
        raise NotAllowed(gettext("您已答复过联名邀请。"))
    if proposal.status in (Status.WITHDRAWN, Status.DECLINED, Status.MERGED, Status.CLOSED):
        raise NotAllowed(gettext("该建言已结束，无需再确认联名。"))
    now = timezone.now()
    if agree:
        cosigner.confirmed_at = now
    else:
        cosigner.declined_at = now
    cosigner.save(update_fields=["confirmed_at", "declined_at"])
    label = gettext_noop("确认联名") if agree else gettext_noop("谢绝联名")
    ProposalEvent.objects.create(proposal=proposal, action="cosign", label=label, user=by, note=cosigner.person.name)
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"cosigner": ["", f"{cosigner.person.name} {label}"]},
    )
    notify(
        [proposal.submitter.user],
        organisation=proposal.organisation,
        title=f"{cosigner.person.name}{label}：{proposal.title[:40]}",
        url=reverse("proposals:my-detail", args=[proposal.pk]),
    )
    return cosigner


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
    proposal = _lock(proposal)
    transition = _check(proposal, "accept", by)
    now = timezone.now()
    proposal.accepted_at = now
    proposal.case_number = _allocate_case_number(proposal.organisation, timezone.localdate(now).year)
    return _step(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "decline", by)
    proposal.decline_reason = reason
    return _step(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "merge", by)
    if into.pk == proposal.pk or into.organisation_id != proposal.organisation_id:
        raise NotAllowed(gettext("不能并入自身或其他单位的建言。"))
    if not into.case_number or into.status in (Status.MERGED, Status.WITHDRAWN, Status.DECLINED):
        raise NotAllowed(gettext("只能并入已立案的建言。"))
    proposal.merged_into = into
    text = gettext("并入 %(number)s“%(title)s”") % {"number": into.case_number, "title": into.title} + (
        gettext("。") + note if note else ""
    )
    proposal = _step(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "assign", by)
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
    proposal = _step(
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
    _notify_departments(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "object", by)
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
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"status": [Status.ASSIGNED.label, Status.ACCEPTED.label], "objection": ["", reason]},
    )
    _notify_submitter(proposal, gettext("：正在重新交办"), gettext("统战部将重新确定承办部门。"))
    _notify_staff(proposal, gettext("%(department)s对交办提出异议") % {"department": department}, reason)
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
    return _step(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "answer", by)
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
        proposal = _step(
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
        _notify_staff(proposal, gettext("答复待审核"), f"{proposal.lead_department}：{answer.get_outcome_display()}")
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
    proposal = _lock(proposal)
    transition = _check(proposal, "release", by)
    answer = _pending_answer(proposal)
    if note:
        answer.review_note = note
        answer.save(update_fields=["review_note"])
    return _release(proposal, answer, by=by, transition=transition, action="release", note="", request=request)


@transaction.atomic
def return_answer(proposal: Proposal, *, by, reason: str, request=None) -> Proposal:
    """ANSWER_REVIEW → back to the lead department (ASSIGNED, or REHANDLING in round two) with
    the reason. Internal step; the liaisons are told."""
    proposal = _lock(proposal)
    transition = _check(proposal, "return_answer", by)
    answer = _pending_answer(proposal)
    answer.state = Answer.State.RETURNED
    answer.reviewed_by, answer.reviewed_at, answer.review_note = by, timezone.now(), reason
    answer.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    to = Status.REHANDLING if proposal.round >= 2 else Status.ASSIGNED
    proposal = _step(
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
    _notify_departments(proposal, gettext("答复被退回，请修改"), reason, lead_only=True)
    return proposal


@transaction.atomic
def rate_proposal(proposal: Proposal, *, by, rating: str, comment: str = "", request=None) -> Proposal:
    """The submitter rates the released answer. 满意/基本满意 → CLOSED. 不满意 on the first
    answer → REHANDLING (once; new due date 15 days; the lead department and staff are told).
    Rating the final answer of a closed suggestion records the rating only."""
    proposal = _lock(proposal)
    transition = _check(proposal, "rate", by)
    answer = _latest_released(proposal)
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
        proposal = _step(
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
        _notify_departments(proposal, gettext("提出人不满意，请重新办理"), comment, lead_only=True)
        _notify_staff(proposal, gettext("提出人对答复不满意"), comment)
        return proposal
    if proposal.status == Status.ANSWERED:
        proposal.closed_at = now
        fields.append("closed_at")
    return _step(
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
    proposal = _lock(proposal)
    transition = _check(proposal, "close", by)
    proposal.closed_at = timezone.now()
    return _step(
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


# --- Not status changes: notes, flags, urging, plan links --------------------------------------


@transaction.atomic
def add_note(proposal: Proposal, *, by, text: str, request=None) -> ProposalNote:
    """A private note by UFD staff or a handling department (a support department's note is its
    input, 协办意见). Never shown to members. Audits."""
    roles = roles_of(proposal, by)
    if not roles & {STAFF, LEAD, SUPPORT}:
        raise NotAllowed(gettext("只有统战部和承办部门可以添加内部备注。"))
    note = ProposalNote.objects.create(
        proposal=proposal,
        author=by,
        department=_acting_department(proposal, by),
        is_input=SUPPORT in roles and LEAD not in roles,
        text=text,
    )
    audit.record("create", user=by, organisation=proposal.organisation, obj=note, request=request)
    if note.is_input:
        _notify_departments(
            proposal,
            gettext("%(department)s提出协办意见") % {"department": note.department},
            text[:200],
            lead_only=True,
        )
    return note


# The timeline labels set_flags writes, for the catalogue (ProposalEvent.display_label translates them).
FLAG_LABELS = (
    gettext_noop("设为优秀建言"),
    gettext_noop("取消优秀建言"),
    gettext_noop("设为公开"),
    gettext_noop("取消公开"),
)


@transaction.atomic
def set_flags(proposal: Proposal, *, by, excellent: bool, published: bool, request=None) -> Proposal:
    """Marks an accepted suggestion 优秀建言 and/or publishes an answered one to all members.
    Logged; the submitter is told when it becomes excellent or public."""
    proposal = _lock(proposal)
    if STAFF not in roles_of(proposal, by):
        raise NotAllowed(gettext("只有统战部可以评选和公开建言。"))
    if excellent and not proposal.case_number:
        raise NotAllowed(gettext("只有已立案的建言可以评为优秀建言。"))
    if published and proposal.status not in ANSWERED_STATES:
        raise NotAllowed(gettext("只有已答复的建言可以公开。"))
    changes = {}
    for field, value, label in (("is_excellent", excellent, "优秀建言"), ("is_published", published, "公开")):
        if getattr(proposal, field) != value:
            changes[label] = ["否" if value else "是", "是" if value else "否"]
            setattr(proposal, field, value)
    if not changes:
        return proposal
    proposal.save(update_fields=["is_excellent", "is_published", "updated_at"])
    gained = [label for label, (_, after) in changes.items() if after == "是"]
    # Stored in Chinese (the source language); ProposalEvent.display_label translates each part.
    text = "；".join(f"{'设为' if after == '是' else '取消'}{label}" for label, (_, after) in changes.items())
    ProposalEvent.objects.create(proposal=proposal, action="flags", label=text, user=by, is_public=bool(gained))
    audit.record("update", user=by, organisation=proposal.organisation, obj=proposal, request=request, changes=changes)
    if gained:
        what = gettext("、").join(gettext("评为优秀建言") if g == "优秀建言" else gettext("公开") for g in gained)
        _notify_submitter(proposal, gettext("被%(what)s") % {"what": what})
    return proposal


@transaction.atomic
def urge_proposal(proposal: Proposal, *, by, note: str = "", request=None) -> int:
    """催办: UFD staff press the lead department about a suggestion being handled. Internal."""
    if STAFF not in roles_of(proposal, by):
        raise NotAllowed(gettext("只有统战部可以催办。"))
    if proposal.status not in HANDLING:
        raise NotAllowed(gettext("该建言不在办理中，无需催办。"))
    count = _notify_departments(proposal, gettext("催办"), note or gettext("请尽快办理并答复。"), lead_only=True)
    ProposalEvent.objects.create(
        proposal=proposal, action="urge", label=gettext_noop("催办"), user=by, note=note, is_public=False
    )
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"urged": ["", note or "催办"]},
    )
    return count


def _counts_for(link: ProposalTarget, proposal: Proposal) -> bool:
    if link.basis == ProposalTarget.Basis.ADOPTED:
        return proposal.outcome in ADOPTED_OUTCOMES
    return proposal.submitted_at is not None and proposal.status not in (
        Status.DRAFT,
        Status.WITHDRAWN,
        Status.DECLINED,
    )


def sync_targets(proposal: Proposal, *, by=None) -> None:
    """Applies the plan-link rule (module docstring) to every link of the suggestion."""
    for link in proposal.target_links.select_related("target"):
        if _counts_for(link, proposal):
            label = f"建言{f' {proposal.case_number}' if proposal.case_number else ''}“{proposal.title[:60]}”"
            plan_services.record_achievement(link.target, source=proposal, by=by, label=label)
        else:
            plan_services.withdraw_achievement(link.target, source=proposal, by=by)


@transaction.atomic
def link_target(proposal: Proposal, *, by, target, basis: str, request=None) -> ProposalTarget:
    """Links the suggestion to a plan target of the organisation; counts at once if the rule holds."""
    if STAFF not in roles_of(proposal, by):
        raise NotAllowed(gettext("只有统战部可以关联工作要点目标。"))
    if proposal.submitted_at is None:
        raise NotAllowed(gettext("建言提交后才能关联目标。"))
    if target.item.plan.organisation_id != proposal.organisation_id:
        raise NotAllowed(gettext("只能关联本单位工作要点的目标。"))
    link, _ = ProposalTarget.objects.update_or_create(
        proposal=proposal, target=target, defaults={"basis": basis, "linked_by": by}
    )
    # A changed basis may no longer count: start from nothing, then apply the rule.
    plan_services.withdraw_achievement(target, source=proposal, by=by)
    sync_targets(proposal, by=by)
    ProposalEvent.objects.create(
        proposal=proposal,
        action="link",
        label=gettext_noop("关联工作要点目标"),
        user=by,
        note=f"{target.text}（{link.get_basis_display()}）",
        is_public=False,
    )
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"target": ["", f"{target.text}（{link.get_basis_display()}）"]},
    )
    return link


@transaction.atomic
def unlink_target(link: ProposalTarget, *, by, request=None) -> None:
    proposal = link.proposal
    if STAFF not in roles_of(proposal, by):
        raise NotAllowed(gettext("只有统战部可以取消关联。"))
    plan_services.withdraw_achievement(link.target, source=proposal, by=by)
    audit.record(
        "update",
        user=by,
        organisation=proposal.organisation,
        obj=proposal,
        request=request,
        changes={"target": [link.target.text, ""]},
    )
    link.delete()


# --- Answer templates ---------------------------------------------------------------------------


@transaction.atomic
def save_template(organisation, *, by, data: dict, template: AnswerTemplate | None = None, request=None):
    """Creates or updates an answer template. Audits."""
    before = audit.snapshot(template, ["title", "outcome", "text"]) if template else {}
    template = template or AnswerTemplate(organisation=organisation)
    for field in ("title", "outcome", "text"):
        setattr(template, field, data[field])
    template.save()
    audit.record(
        "update" if before else "create",
        user=by,
        organisation=organisation,
        obj=template,
        request=request,
        changes=audit.diff(before, audit.snapshot(template, ["title", "outcome", "text"])),
    )
    return template


@transaction.atomic
def delete_template(template: AnswerTemplate, *, by, request=None) -> None:
    audit.record("delete", user=by, organisation=template.organisation, obj=template, request=request)
    template.delete()


# --- Overdue handling ---------------------------------------------------------------------------


def overdue_proposals(organisation, today: date | None = None):
    """Suggestions with a department, past their due date and not answered (the plan's
    supervision board shows them). Ordered by due date; lead department and submitter joined."""
    return (
        Proposal.objects.for_org(organisation)
        .overdue(today)
        .select_related("lead_department", "submitter")
        .order_by("due_date", "id")
    )


def remind_overdue(*, today: date | None = None, organisation=None) -> int:
    """Daily: each lead department's liaisons get one notice listing their suggestions that are
    overdue or due within 3 days. Returns how many suggestions were reminded about."""
    today = today or timezone.localdate()
    proposals = (
        Proposal.objects.handling()
        .filter(due_date__lte=today + timedelta(days=3), lead_department__isnull=False)
        .select_related("organisation", "lead_department")
        .order_by("due_date")
    )
    if organisation is not None:
        proposals = proposals.for_org(organisation)
    by_department = defaultdict(list)
    for proposal in proposals:
        by_department[proposal.lead_department].append(proposal)
    if not by_department:
        return 0
    liaisons = defaultdict(list)
    memberships = (
        Membership.objects.filter(role=Role.LIAISON, departments__in=[d.pk for d in by_department])
        .select_related("user")
        .prefetch_related("departments")
    )
    for membership in memberships.distinct():
        for department in membership.departments.all():
            liaisons[department.pk].append(membership.user)
    for department, items in by_department.items():
        late = sum(1 for p in items if p.due_date < today)
        lines = [
            f"{p.case_number} {p.title}：{gettext('已逾期') if p.due_date < today else gettext('即将到期')}"
            f"（时限 {p.due_date.year}年{p.due_date.month}月{p.due_date.day}日）"
            for p in items
        ]
        notify(
            liaisons[department.pk],
            organisation=department.organisation,
            title=f"建言办理提醒：{len(items)} 件待答复（{late} 件已逾期）",
            body="\n".join(lines),
            url=reverse("proposals:assigned"),
            email=True,
        )
    return sum(len(items) for items in by_department.values())


# --- Figures ------------------------------------------------------------------------------------


@dataclass
class FigureRow:
    label: str
    submitted: int = 0
    accepted: int = 0
    answered: int = 0
    timed: int = 0  # with a first answer measured against a due date
    on_time: int = 0
    adopted: int = 0
    rated: int = 0
    satisfied: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> str:
        return f"{part * 100 / whole:.1f}%" if whole else "—"

    @property
    def adoption_rate(self) -> str:
        return self._rate(self.adopted, self.answered)

    @property
    def satisfaction_rate(self) -> str:
        return self._rate(self.satisfied, self.rated)

    @property
    def on_time_rate(self) -> str:
        return self._rate(self.on_time, self.timed)


FIGURES = {
    "submitted": Count("id"),
    "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
    "answered": Count("id", filter=~Q(outcome="")),
    "timed": Count("id", filter=Q(answered_on_time__isnull=False)),
    "on_time": Count("id", filter=Q(answered_on_time=True)),
    "adopted": Count("id", filter=Q(outcome__in=ADOPTED_OUTCOMES)),
    "rated": Count("id", filter=~Q(rating="")),
    "satisfied": Count("id", filter=Q(rating__in=SATISFIED_RATINGS)),
}


def figures_queryset(organisation, *, year: int, kind: str = "", category: str = "", department=None):
    queryset = Proposal.objects.for_org(organisation).counted().filter(submitted_at__year=year)
    if kind:
        queryset = queryset.filter(kind=kind)
    if category:
        queryset = queryset.filter(category=category)
    if department is not None:
        queryset = queryset.filter(lead_department=department)
    return queryset


def figures(organisation, *, year: int, kind: str = "", category: str = "", department=None) -> dict:
    """Per year (and optional type, category, lead department): submitted, accepted, answered on
    time, adoption rate ((采纳+部分采纳)/answered) and satisfaction rate ((满意+基本满意)/rated),
    in total and by type, by category and by department. Four queries, whatever the volume."""
    queryset = figures_queryset(organisation, year=year, kind=kind, category=category, department=department)
    total = FigureRow(gettext("合计"), **queryset.aggregate(**FIGURES))

    def grouped(field, labels):
        rows = {row.pop(field): row for row in queryset.order_by().values(field).annotate(**FIGURES)}
        return [FigureRow(label, **rows[key]) for key, label in labels if key in rows]

    department_rows = (
        queryset.order_by()
        .values("lead_department__sort_order", "lead_department__name")
        .annotate(**FIGURES)
        .order_by(  # departments first in their order, "未交办" last, on SQLite and PostgreSQL alike
            F("lead_department__sort_order").asc(nulls_last=True), F("lead_department__name").asc(nulls_last=True)
        )
    )
    by_department = []
    for row in department_rows:
        row.pop("lead_department__sort_order")
        by_department.append(FigureRow(row.pop("lead_department__name") or gettext("未交办"), **row))
    return {
        "total": total,
        "by_kind": grouped("kind", Kind.choices),
        "by_category": grouped("category", Category.choices),
        "by_department": by_department,
    }


# --- Part 2: outside filings ---------------------------------------------------------------------

FILING_FIELDS = ["kind", "body", "level", "date", "title", "case_number", "status", "note"]


def _add_filing_files(filing: OutsideFiling, files) -> None:
    for upload, kind in files:
        OutsideFilingFile.objects.create(
            filing=filing, file=upload, original_name=upload.name[:200], kind=kind.label, size=upload.size
        )


@transaction.atomic
def create_outside_filing(organisation, *, by, person, data: dict, files=(), request=None) -> OutsideFiling:
    """A member records a filing with an outside body; staff verify it later. Audits; tells staff."""
    filing = OutsideFiling.objects.create(
        organisation=organisation, person=person, created_by=by, **{f: data[f] for f in FILING_FIELDS if f in data}
    )
    _add_filing_files(filing, files)
    audit.record(
        "create",
        user=by,
        organisation=organisation,
        obj=filing,
        request=request,
        changes=audit.diff({}, audit.snapshot(filing, FILING_FIELDS)),
    )
    memberships = Membership.objects.filter(organisation=organisation, role=Role.UFD_STAFF).select_related("user")
    notify(
        [m.user for m in memberships],
        organisation=organisation,
        title=gettext("%(name)s登记了履职记录：%(title)s") % {"name": person.name, "title": filing.title[:40]},
        url=reverse("proposals:outside-detail", args=[filing.pk]),
    )
    return filing


@transaction.atomic
def update_outside_filing(
    filing: OutsideFiling, *, by, data: dict, version: int, files=(), request=None
) -> OutsideFiling:
    """Saves the member's edit if nobody saved since `version` (else StaleEdit). An edit of a
    verified filing clears the verification: staff verify the new facts again. Audits."""
    before = audit.snapshot(filing, FILING_FIELDS)
    update_if_unchanged(
        OutsideFiling,
        filing.pk,
        version,
        updated_at=timezone.now(),
        verified_at=None,
        verified_by=None,
        **{f: data[f] for f in FILING_FIELDS if f in data},
    )
    filing = OutsideFiling.objects.get(pk=filing.pk)
    _add_filing_files(filing, files)
    audit.record(
        "update",
        user=by,
        organisation=filing.organisation,
        obj=filing,
        request=request,
        changes=audit.diff(before, audit.snapshot(filing, FILING_FIELDS)),
    )
    return filing


@transaction.atomic
def verify_outside_filing(filing: OutsideFiling, *, by, verified: bool, note: str = "", request=None) -> OutsideFiling:
    """UFD staff confirm the filing against its proof (or take the confirmation back, with a
    note the member sees in a notification). Audits."""
    filing = OutsideFiling.objects.select_for_update().get(pk=filing.pk)
    before = "已核实" if filing.verified_at else "待核实"
    filing.verified_at = timezone.now() if verified else None
    filing.verified_by = by if verified else None
    filing.save(update_fields=["verified_at", "verified_by", "updated_at"])
    after = "已核实" if verified else "待核实"
    audit.record(
        "update",
        user=by,
        organisation=filing.organisation,
        obj=filing,
        request=request,
        changes={"verified": [before, after]} | ({"note": ["", note]} if note else {}),
    )
    notify(
        [filing.person.user],
        organisation=filing.organisation,
        title=(gettext("履职记录“%(title)s”已核实") if verified else gettext("履职记录“%(title)s”需补充材料"))
        % {"title": filing.title[:40]},
        body=note,
        url=reverse("proposals:outside-edit", args=[filing.pk]),
    )
    return filing


@dataclass
class FilingRow:
    name: str
    department: str
    by_kind: dict
    by_status: dict
    total: int
    unverified: int
    files: int


def outside_statistics(organisation, *, year: int) -> tuple[list[FilingRow], FilingRow]:
    """The yearly statistics form: per person, verified filings counted by type and by how far
    they got (提交/立案/答复/采纳/获领导批示), the ones still to verify, and the proof files;
    plus the college's totals. Two queries."""
    verified = Q(verified_at__isnull=False)
    aggregates = {f"k_{k}": Count("id", filter=verified & Q(kind=k), distinct=True) for k in FilingKind.values}
    aggregates |= {f"s_{s}": Count("id", filter=verified & Q(status=s), distinct=True) for s in FilingStatus.values}
    aggregates |= {
        "total": Count("id", filter=verified, distinct=True),
        "unverified": Count("id", filter=~verified, distinct=True),
        "files": Count("files", distinct=True),
    }
    queryset = OutsideFiling.objects.for_org(organisation).filter(date__year=year)

    def row(name, department, values):
        return FilingRow(
            name=name,
            department=department or "",
            by_kind={k: values[f"k_{k}"] for k in FilingKind.values},
            by_status={s: values[f"s_{s}"] for s in FilingStatus.values},
            total=values["total"],
            unverified=values["unverified"],
            files=values["files"],
        )

    rows = [
        row(values.pop("person__name"), values.pop("person__department__name"), values)
        for values in queryset.values("person__name", "person__department__name", "person")
        .annotate(**aggregates)
        .order_by("person__name", "person")
    ]
    return rows, row(gettext("全院合计"), "", queryset.aggregate(**aggregates))
