"""Writes of the year-end summary: generating the draft from the ledger, saving the staff's
edits (optimistic concurrency: a stale edit is refused, never overwritten), auditing exports."""

from django.db import transaction
from django.utils import timezone

from core import audit
from core.concurrency import bump_version, update_if_unchanged
from reports import summary
from reports.models import SummaryDraft


@transaction.atomic
def generate_draft(organisation, *, by, year: int, request=None) -> SummaryDraft:
    """(Re)writes the draft text from the ledger; the chosen highlights are kept."""
    _, text = summary.generated_text(organisation, year)
    draft, created = SummaryDraft.objects.get_or_create(
        organisation=organisation,
        year=year,
        defaults={"text": text, "generated_at": timezone.now(), "updated_by": by},
    )
    if not created:
        bump_version(SummaryDraft, draft.pk, text=text, generated_at=timezone.now(), updated_by=by)
        draft.refresh_from_db()
    audit.log("create" if created else "update", draft, by=by, request=request, changes={"generated": True})
    return draft


@transaction.atomic
def save_draft(
    draft: SummaryDraft, *, by, text: str, highlights: list[str], version: int, request=None
) -> SummaryDraft:
    """Saves the edited text and chosen highlights; raises core.concurrency.StaleEdit when someone
    saved in between."""
    update_if_unchanged(
        SummaryDraft, draft.pk, version, text=text, highlights=highlights, updated_by=by, updated_at=timezone.now()
    )
    draft.refresh_from_db()
    audit.log("update", draft, by=by, request=request, changes={"text_chars": len(text), "highlights": len(highlights)})
    return draft


def export_docx(organisation, *, by, year: int, request=None) -> bytes:
    """The Word draft: the saved draft (or, if none, the text generated now). Audited."""
    data = summary.ledger(organisation, year)
    draft = SummaryDraft.objects.filter(organisation=organisation, year=year).first()
    text = draft.text if draft else summary.draft_text(data)
    highlights = draft.highlights if draft else []
    content = summary.summary_docx(data, text=text, highlights=highlights)
    changes = {"year": year, "format": "docx"}
    subject = draft or SummaryDraft  # with no saved draft, the export is of the kind
    username = "" if by else "system"
    audit.log("export", subject, by=by, request=request, changes=changes, organisation=organisation, username=username)
    return content
