"""Plan links (`ProposalTarget`) follow one rule, re-applied after every step: a "收到即计入" link
counts while the suggestion is submitted and not withdrawn or declined (a merged one was still
received); an "采纳后计入" link counts while its released answer is 采纳 or 部分采纳. When the rule
holds `plans.services.record_achievement` is called (idempotent), otherwise `withdraw_achievement`."""

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from core import audit
from core.exceptions import NotAllowed
from plans import services as plan_services
from proposals.models import ADOPTED_OUTCOMES, Proposal, ProposalEvent, ProposalTarget, Status
from proposals.services.rules import STAFF, roles_of


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
    audit.log(
        "update",
        proposal,
        by=by,
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
    audit.log("update", proposal, by=by, request=request, changes={"target": [link.target.text, ""]})
    link.delete()
