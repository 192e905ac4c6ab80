"""Reads of the proposals module that other modules and home pages use. Each function is bounded
in SQL queries whatever the data size, and documented; other apps call these, never proposals'
models."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from proposals.models import OutsideFiling, Proposal

# --- For the five ones (fiveones): "submit a proposal" (提交一份议案) --------------------------


def member_proposal_count(person, year: int) -> int:
    """The five ones' "submit a proposal" (提交一份建言) count for `person` in `year`: their own
    suggestions submitted that year (not drafts, not withdrawn; declined and merged ones still
    count — they were submitted) plus their outside filings dated that year and verified by
    staff. Co-signing does not count. Two queries."""
    own = Proposal.objects.filter(submitter=person, submitted_at__year=year).counted().count()
    outside = OutsideFiling.objects.filter(person=person, date__year=year).verified().count()
    return own + outside


@dataclass(frozen=True)
class SubmittedProposal:
    """One record that fills the five ones' "proposal" slot. `kind` is "suggestion" (a
    suggestion to the college: proposals:my-detail / proposals:detail) or "filing" (a verified
    outside filing: proposals:outside-edit / proposals:outside-detail)."""

    kind: str
    pk: int
    title: str
    on: date


def submitted_proposals_by_person(*, organisation, year: int, person_ids=None) -> dict[int, list[SubmittedProposal]]:
    """{person id: [SubmittedProposal, ...]}: the records `member_proposal_count` counts, for
    every person of `organisation` (or only `person_ids`), oldest first. Two queries."""
    suggestions = (
        Proposal.objects.for_org(organisation).filter(submitted_at__year=year, submitter__isnull=False).counted()
    )
    filings = OutsideFiling.objects.for_org(organisation).filter(date__year=year).verified()
    if person_ids is not None:
        ids = list(person_ids)
        suggestions = suggestions.filter(submitter_id__in=ids)
        filings = filings.filter(person_id__in=ids)
    result: dict[int, list[SubmittedProposal]] = {}
    for person_id, pk, title, at in suggestions.values_list("submitter_id", "pk", "title", "submitted_at"):
        day = timezone.localtime(at).date()
        result.setdefault(person_id, []).append(SubmittedProposal("suggestion", pk, title, day))
    for person_id, pk, title, day in filings.values_list("person_id", "pk", "title", "date"):
        result.setdefault(person_id, []).append(SubmittedProposal("filing", pk, title, day))
    for records in result.values():
        records.sort(key=lambda r: (r.on, r.pk))
    return result
