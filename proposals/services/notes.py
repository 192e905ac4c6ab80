"""Steps that do not change the status: internal notes (a support department's input), the
优秀建言 / public flags, and urging (催办)."""

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from core import audit
from core.exceptions import NotAllowed
from proposals.models import ANSWERED_STATES, HANDLING, Proposal, ProposalEvent, ProposalNote
from proposals.services.notices import notify_departments, notify_submitter
from proposals.services.rules import LEAD, STAFF, SUPPORT, acting_department, lock, roles_of


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
        department=acting_department(proposal, by),
        is_input=SUPPORT in roles and LEAD not in roles,
        text=text,
    )
    audit.log("create", note, by=by, organisation=proposal.organisation, request=request)
    if note.is_input:
        notify_departments(
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
    proposal = lock(proposal)
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
    audit.log("update", proposal, by=by, request=request, changes=changes)
    if gained:
        what = gettext("、").join(gettext("评为优秀建言") if g == "优秀建言" else gettext("公开") for g in gained)
        notify_submitter(proposal, gettext("被%(what)s") % {"what": what})
    return proposal


@transaction.atomic
def urge_proposal(proposal: Proposal, *, by, note: str = "", request=None) -> int:
    """催办: UFD staff press the lead department about a suggestion being handled. Internal."""
    if STAFF not in roles_of(proposal, by):
        raise NotAllowed(gettext("只有统战部可以催办。"))
    if proposal.status not in HANDLING:
        raise NotAllowed(gettext("该建言不在办理中，无需催办。"))
    count = notify_departments(proposal, gettext("催办"), note or gettext("请尽快办理并答复。"), lead_only=True)
    ProposalEvent.objects.create(
        proposal=proposal, action="urge", label=gettext_noop("催办"), user=by, note=note, is_public=False
    )
    audit.log("update", proposal, by=by, request=request, changes={"urged": ["", note or "催办"]})
    return count
