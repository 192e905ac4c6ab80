"""The daily reminder of suggestions overdue or due soon (`proposals.tasks`, and the
`remind_overdue_proposals` command)."""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from notifications.services import notify
from orgs.models import Membership, Role
from proposals.models import Proposal


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
