"""Reads of the suggestions ledger for other modules and home pages, each bounded in queries and
returning plain data."""

from django.db.models import Q
from django.utils import timezone

from proposals.models import Outcome, Proposal

# --- The year's close (assessment, the year-end summary) --------------------------------------


def year_department_answers(organisation, year: int, department_id: int, today=None) -> list[dict]:
    """Suggestions assigned (交办) in `year` with the department as lead, whose answer was due or
    given: answered (on time or late) or still unanswered after the due date.
    [{"id", "case_number", "title", "due_date", "first_answered_at", "on_time" (True/False),
    "outcome_label"}]. One query."""
    today = today or timezone.localdate()
    rows = (
        Proposal.objects.for_org(organisation)
        .filter(lead_department_id=department_id, assigned_at__year=year)
        .filter(Q(answered_on_time__isnull=False) | Q(first_answered_at__isnull=True, due_date__lt=today))
        .order_by("assigned_at", "id")
        .values("id", "case_number", "title", "due_date", "first_answered_at", "answered_on_time", "outcome")
    )
    labels = dict(Outcome.choices)
    return [
        {
            "id": r["id"],
            "case_number": r["case_number"],
            "title": r["title"],
            "due_date": r["due_date"],
            "first_answered_at": r["first_answered_at"],
            "on_time": bool(r["answered_on_time"]),
            "outcome_label": labels.get(r["outcome"], "未答复"),
        }
        for r in rows
    ]


def year_proposal_funnel(organisation, year: int) -> list[tuple[str, int]]:
    """The handling funnel of suggestions submitted in `year`: 收到 → 立案 → 答复 → 采纳（含部分采纳）.
    One query."""
    from proposals.services import FIGURES, figures_queryset

    total = figures_queryset(organisation, year=year).aggregate(**FIGURES)
    return [
        ("收到", total["submitted"]),
        ("立案", total["accepted"]),
        ("答复", total["answered"]),
        ("采纳", total["adopted"]),
    ]


def year_adopted_titles(organisation, year: int, limit: int = 50) -> list[str]:
    """Titles of the suggestions of `year` adopted or partly adopted (优秀建言 first). One query."""
    return list(
        Proposal.objects.for_org(organisation)
        .counted()
        .filter(submitted_at__year=year, outcome__in=[Outcome.ADOPTED, Outcome.PARTLY])
        .order_by("-is_excellent", "submitted_at")
        .values_list("title", flat=True)[:limit]
    )
