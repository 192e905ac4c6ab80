"""The state machine of a suggestion. THE table is `TRANSITIONS`: (status, action) → the statuses
the action may lead to and the roles that may take it. `check_transition` refuses what the table
does not allow (or what a deadline blocks); `lock` takes the row for the transaction.

Roles a user holds towards one suggestion (`roles_of`):
  author     the member whose suggestion it is, or the UFD staff who entered it on their behalf
  submitter  the member whose suggestion it is (only they rate the answer)
  staff      UFD staff of the suggestion's organisation
  lead       a liaison of the lead department (主办) — answers, may object within 7 days
  support    a liaison of a support department (协办) — adds input notes, nothing else"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotAllowed
from orgs.models import Role
from proposals.models import OBJECTION_DAYS, Answer, Proposal, Status

DUE_DAYS = 30  # default handling time from assignment
REHANDLE_DAYS = 15  # handling time after an unsatisfied rating


AUTHOR, SUBMITTER, STAFF, LEAD, SUPPORT = "author", "submitter", "staff", "lead", "support"
ROLE_LABELS = {
    AUTHOR: _("提出人/录入人"),
    SUBMITTER: _("提出人"),
    STAFF: _("统战部"),
    LEAD: _("主办部门"),
    SUPPORT: _("协办部门"),
}


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


def latest_released(proposal: Proposal) -> Answer | None:
    return proposal.answers.filter(state=Answer.State.RELEASED).order_by("-round", "-answered_at", "-id").first()


def _blocked(proposal: Proposal, action: str) -> str:
    """Why a transition the table allows cannot happen now ("" when it can)."""
    if action == "object" and proposal.assigned_at and timezone.now() > proposal.objection_deadline:
        return gettext("交办已超过%(days)s天，不能再提出异议，请与统战部沟通。") % {"days": OBJECTION_DAYS}
    if action == "rate" and proposal.status == Status.CLOSED:
        answer = latest_released(proposal)
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


def check_transition(proposal: Proposal, action: str, by) -> Transition:
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


def lock(proposal: Proposal) -> Proposal:
    """The row, locked for this transaction, so two people acting at once cannot both pass."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def acting_department(proposal: Proposal, by):
    ids = liaison_department_ids(by)
    if proposal.lead_department_id in ids:
        return proposal.lead_department
    return next((d for d in proposal.support_departments.all() if d.pk in ids), None)
