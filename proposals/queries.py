"""Reads of suggestions that home pages, the person page and other apps use, each in a fixed
number of queries whatever the number of suggestions.

- `staff_attention(organisation, today)`: waiting for 立案, answers waiting for review, overdue.
- `department_proposals(organisation, department_ids, today)`: what a liaison's departments handle.
- `year_counts(organisation, year)`: received, accepted, answered, adopted in a year.
- `member_suggestions(person)`: a member's own suggestions and their state.
- `person_proposals_panel(person, request)`: the person page's panel (registered in apps.py).
- `submitted_proposals_by_person(...)`: the five ones' "submit a proposal".
- `overdue_proposals(organisation)`: the supervision board's overdue suggestions.
- `figures(organisation, year=…)`: the figures page (per type, category and department).
- `outside_statistics(organisation, year=…)`: the yearly statistics of outside filings."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from core.figures_cache import org_cached
from proposals.models import (
    ADOPTED_OUTCOMES,
    HANDLING,
    SATISFIED_RATINGS,
    Category,
    FilingKind,
    FilingStatus,
    Kind,
    Outcome,
    OutsideFiling,
    Proposal,
    Status,
)


def staff_attention(organisation, today: date) -> dict:
    """{"submitted": waiting for 立案, "answer_review": answers waiting for UFD review,
    "overdue": with a department past the due date, "due_soon": due within 3 days}.
    Cached under the organisation's data version (core.figures_cache): no query when nothing
    changed, four otherwise."""
    return org_cached(
        "proposals.staff_attention", organisation, (today,), lambda: _staff_attention(organisation, today)
    )


def _staff_attention(organisation, today: date) -> dict:
    proposals = Proposal.objects.for_org(organisation)
    counts = proposals.aggregate(
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        answer_review=Count("id", filter=Q(status=Status.ANSWER_REVIEW)),
    )
    return {
        **counts,
        "overdue": proposals.overdue(today).count(),
        "due_soon": proposals.due_soon(today).count(),
    }


def inbox_status_counts(organisation) -> dict[str, int]:
    """{status: suggestions} over the college's submitted suggestions (the inbox's tiles), cached
    under the organisation's data version."""

    def compute():
        rows = Proposal.objects.for_org(organisation).exclude(status=Status.DRAFT).order_by().values_list("status")
        return dict(rows.annotate(n=Count("id")))

    return org_cached("proposals.inbox_status_counts", organisation, (), compute)


def department_proposals(organisation, department_ids, today: date, *, limit: int = 10) -> dict:
    """Suggestions assigned to the departments (lead or support) and still being handled, the
    soonest due first. {"handling": n, "overdue": n, "due_soon": n, "answer_review": n,
    "proposals": [...at most limit, each with `is_lead`]}. Four queries."""
    ids = list(department_ids)
    proposals = Proposal.objects.for_org(organisation).for_departments(ids)
    handling = proposals.filter(status__in=HANDLING)
    counts = proposals.aggregate(
        handling=Count("id", filter=Q(status__in=HANDLING)),
        answer_review=Count("id", filter=Q(status=Status.ANSWER_REVIEW)),
    )
    listed = list(handling.select_related("lead_department").order_by("due_date", "id")[:limit])
    for proposal in listed:
        proposal.is_lead = proposal.lead_department_id in ids
    return {
        **counts,
        "overdue": proposals.overdue(today).count(),
        "due_soon": proposals.due_soon(today).count(),
        "proposals": listed,
    }


def year_counts(organisation, year: int) -> dict:
    """Suggestions submitted in `year` (withdrawn ones and drafts not counted): {"received",
    "accepted", "answered", "adopted"} (answered: with a released outcome). Cached by the
    organisation's data version: no query when nothing changed, one otherwise."""
    return org_cached("proposals.year_counts", organisation, (year,), lambda: _year_counts(organisation, year))


def _year_counts(organisation, year: int) -> dict:
    return (
        Proposal.objects.for_org(organisation)
        .counted()
        .filter(submitted_at__year=year)
        .aggregate(
            received=Count("id"),
            accepted=Count("id", filter=Q(accepted_at__isnull=False)),
            answered=Count("id", filter=~Q(outcome="")),
            adopted=Count("id", filter=Q(outcome__in=ADOPTED_OUTCOMES)),
        )
    )


def member_suggestions(person, *, limit: int = 5) -> dict:
    """The member's own and co-signed suggestions, latest first: {"proposals": [...], "count"}.
    Two queries."""
    proposals = Proposal.objects.filter(organisation_id=person.organisation_id).of_member(person)
    return {
        "proposals": list(proposals.order_by("-created_at", "-id")[:limit]),
        "count": proposals.count(),
    }


def person_proposals_panel(person, request) -> dict:
    """The person page's "建言献策" panel: the person's submitted suggestions (latest 20) and how
    many in all. Two queries."""
    proposals = Proposal.objects.filter(organisation_id=person.organisation_id, submitter=person).counted()
    return {
        "template": "proposals/_person_panel.html",
        "proposals": list(proposals.order_by("-submitted_at", "-id")[:20]),
        "count": proposals.count(),
    }


# --- For the five ones (fiveones): "submit a proposal" (提交一份议案) --------------------------


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
    """{person id: [SubmittedProposal, ...]}: the records that fill the five ones' "submit a
    proposal" (提交一份建言) for every person of `organisation` (or only `person_ids`), oldest first:
    their own suggestions submitted in `year` (not drafts, not withdrawn; declined and merged ones
    still count — they were submitted) plus their outside filings dated that year and verified by
    staff. Co-signing does not count. Two queries."""
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
    labels = {value: str(label) for value, label in Outcome.choices}
    return [
        {
            "id": r["id"],
            "case_number": r["case_number"],
            "title": r["title"],
            "due_date": r["due_date"],
            "first_answered_at": r["first_answered_at"],
            "on_time": bool(r["answered_on_time"]),
            "outcome_label": labels.get(r["outcome"], gettext("未答复")),
        }
        for r in rows
    ]


def year_proposal_funnel(organisation, year: int) -> list[tuple[str, int]]:
    """The handling funnel of suggestions submitted in `year`: 收到 → 立案 → 答复 → 采纳（含部分采纳）.
    The stage names are the keys callers look up; they translate them where they show them. Cached
    under the organisation's data version: no query when nothing changed, one otherwise."""
    return org_cached("proposals.funnel", organisation, (year,), lambda: _year_proposal_funnel(organisation, year))


def _year_proposal_funnel(organisation, year: int) -> list[tuple[str, int]]:
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


def excellent(organisation, *, year: int, kind: str = "", category: str = "", department=None, limit: int = 50):
    """The figures page's 优秀建言 of the selection, latest answered first, at most `limit`. Finding
    them reads the year's suggestions (tens of thousands in a large college), so their ids are
    cached under the organisation's data version; the rows (and the submitters' names) are read
    fresh by id: one query when nothing changed."""
    parts = (year, kind, category, department.pk if department else None, limit)

    def compute():
        queryset = figures_queryset(organisation, year=year, kind=kind, category=category, department=department)
        found = queryset.filter(is_excellent=True).order_by("-answered_at", "-id")
        return list(found.values_list("pk", flat=True)[:limit])

    ids = org_cached("proposals.excellent", organisation, parts, compute)
    return (
        Proposal.objects.for_org(organisation)
        .filter(pk__in=ids, is_excellent=True)
        .select_related("submitter", "lead_department")
        .order_by("-answered_at", "-id")
    )


def figures(organisation, *, year: int, kind: str = "", category: str = "", department=None) -> dict:
    """Per year (and optional type, category, lead department): submitted, accepted, answered on
    time, adoption rate ((采纳+部分采纳)/answered) and satisfaction rate ((满意+基本满意)/rated),
    in total and by type, by category and by department. Four queries, whatever the volume; cached
    under the organisation's data version (a department's rename bumps it too) and the language of
    the labels: no query when nothing changed."""
    parts = (
        get_language(),
        year,
        kind,
        category,
        department.pk if department is not None else None,
    )
    compute = lambda: _figures(organisation, year=year, kind=kind, category=category, department=department)  # noqa: E731
    return org_cached("proposals.figures", organisation, parts, compute)


def _figures(organisation, *, year: int, kind: str = "", category: str = "", department=None) -> dict:
    queryset = figures_queryset(organisation, year=year, kind=kind, category=category, department=department)
    total = FigureRow(gettext("合计"), **queryset.aggregate(**FIGURES))

    def grouped(field, labels):
        rows = {row.pop(field): row for row in queryset.order_by().values(field).annotate(**FIGURES)}
        # Text of the current language (in the cache key): a lazy label is costly to unpickle.
        return [FigureRow(str(label), **rows[key]) for key, label in labels if key in rows]

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


# --- Outside filings: the yearly statistics ------------------------------------------------------


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
