"""Who may read and edit the year-end summary: UFD staff edit it, leaders read it; each sees
only their organisation's draft."""

from orgs.models import Role
from reports.models import SummaryDraft


def can_edit(request) -> bool:
    return request.membership.role == Role.UFD_STAFF


def draft_for(request, year: int) -> SummaryDraft | None:
    return SummaryDraft.objects.for_org(request.organisation).filter(year=year).first()
