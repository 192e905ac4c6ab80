"""Who hears of a suggestion's steps: the submitter (and confirmed co-signers), UFD staff, and the
liaisons of the handling departments."""

from django.urls import reverse
from django.utils.translation import gettext

from notifications import services as notifications
from notifications.services import notify
from orgs.models import Membership, Role
from proposals.models import Proposal


def _submitter_users(proposal: Proposal) -> list:
    """The submitter and the co-signers who confirmed."""
    users = [proposal.submitter.user]
    confirmed = proposal.cosigners.filter(confirmed_at__isnull=False).select_related("person__user")
    users += [c.person.user for c in confirmed]
    return [u for u in users if u is not None]


def notify_submitter(proposal: Proposal, title: str, body: str = "") -> None:
    notify(
        _submitter_users(proposal),
        organisation=proposal.organisation,
        title=gettext("您的%(kind)s“%(title)s”%(what)s")
        % {"kind": proposal.get_kind_display(), "title": proposal.title[:40], "what": title},
        body=body,
        url=reverse("proposals:my-detail", args=[proposal.pk]),
        email=True,
    )


def notify_staff(proposal: Proposal, title: str, body: str = "") -> None:
    memberships = Membership.objects.filter(organisation=proposal.organisation_id, role=Role.UFD_STAFF)
    notify(
        [m.user for m in memberships.select_related("user")],
        organisation=proposal.organisation,
        title=f"{title}：{proposal.title[:40]}",
        body=body,
        url=reverse("proposals:detail", args=[proposal.pk]),
    )


def notify_departments(proposal: Proposal, title: str, body: str = "", *, lead_only: bool = False) -> int:
    """Tells the lead department's liaisons (and, unless `lead_only`, the support departments')."""
    departments = [proposal.lead_department] if proposal.lead_department_id else []
    if not lead_only:
        departments += list(proposal.support_departments.all())
    return notifications.notify_departments(
        departments,
        organisation=proposal.organisation,
        title=f"{title}：{proposal.title[:40]}",
        body=body,
        url=reverse("proposals:handle", args=[proposal.pk]),
    )
