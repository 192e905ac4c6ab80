"""Reads of the plans that home pages and other apps use, each in a fixed number of queries
whatever the number of items. Only published plans count: a draft is the UFD's work in progress.

- `plan_year(organisation, today)`: the year the home pages show (this year, else the latest).
- `attention(organisation, today)`: closing reports waiting for 销号, overdue and due-soon items.
- `overview(organisation, year, today)`: progress by section and by lead department, lights.
- `department_items(organisation, department_ids, today)`: what a liaison's departments do.

Status and traffic light come from the model (`Item.status_on`, `Item.light_on`), so the home
pages and the plan pages never disagree."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from plans.models import Item, Milestone, Plan

LIGHTS = [Item.Light.GREEN, Item.Light.YELLOW, Item.Light.RED]


def published_items(organisation):
    return Item.objects.filter(plan__organisation=organisation, plan__status=Plan.Status.PUBLISHED)


def plan_year(organisation, today: date) -> int | None:
    """This year if a published plan exists for it, else the latest year with one (None: no
    published plan at all). One query."""
    years = set(
        Plan.objects.for_org(organisation)
        .filter(status=Plan.Status.PUBLISHED)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    if not years:
        return None
    return today.year if today.year in years else max(years)


def attention(organisation, today: date) -> dict:
    """{"closing": closing reports waiting for 销号, "overdue": open items past their due date,
    "due_soon": open items due within 7 days}, over every published plan (as 督办 shows them).
    Three queries."""
    items = published_items(organisation)
    return {
        "closing": items.filter(closing_requested_at__isnull=False, accepted_at__isnull=True).count(),
        "overdue": items.overdue(today).count(),
        "due_soon": items.due_soon(today).count(),
    }


@dataclass
class Progress:
    """Counts of a group of items: a section, a department, a whole year."""

    label: str
    total: int = 0
    done: int = 0
    progress_sum: int = 0
    lights: dict = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    key: object = None

    def add(self, item: Item) -> None:
        self.total += 1
        self.done += item.current_status == Item.Status.DONE
        self.progress_sum += item.progress
        self.lights[item.current_light] += 1

    @property
    def progress(self) -> int:
        """The mean of the items' progress (0–100), rounded."""
        return round(self.progress_sum / self.total) if self.total else 0

    @property
    def green(self) -> int:
        return self.lights[Item.Light.GREEN]

    @property
    def yellow(self) -> int:
        return self.lights[Item.Light.YELLOW]

    @property
    def red(self) -> int:
        return self.lights[Item.Light.RED]


def _milestones(item_ids) -> dict:
    by_item = defaultdict(list)
    rows = Milestone.objects.filter(item_id__in=item_ids).values_list("item_id", "due_date", "done_at")
    for item_id, due, done in rows:
        by_item[item_id].append((due, done))
    return by_item


def _mark(items: list[Item], today: date) -> list[Item]:
    """Attaches `current_status` and `current_light` (one query for all the milestones)."""
    milestones = _milestones([item.pk for item in items])
    for item in items:
        item.current_status = item.status_on(today)
        item.current_light = item.light_on(today, milestones[item.pk])
    return items


def overview(organisation, year: int, today: date) -> dict:
    """The published plans of `year` at a glance. Three queries.

    {"plans": [Plan...], "total": Progress of all items, "sections": [Progress per section, in
    plan order; `key` is the Section], "departments": [Progress per lead department, in the
    departments' order, "未指定牵头部门" last; `key` is the Department or None]}"""
    plans = list(Plan.objects.for_org(organisation).filter(year=year, status=Plan.Status.PUBLISHED))
    items = _mark(
        list(
            Item.objects.filter(plan__in=plans)
            .select_related("section", "lead_department")
            .order_by("plan_id", "section__order", "order", "id")
        ),
        today,
    )
    several = len(plans) > 1
    total = Progress(_("合计"))
    sections: dict[int, Progress] = {}
    departments: dict[int | None, Progress] = {}
    for item in items:
        total.add(item)
        section = item.section
        if section.pk not in sections:
            label = f"{section.marker}{section.title}"
            if several:
                label = f"{label}（{next(p.title for p in plans if p.pk == item.plan_id)}）"
            sections[section.pk] = Progress(label, key=section)
        sections[section.pk].add(item)
        department = item.lead_department
        key = department.pk if department else None
        if key not in departments:
            departments[key] = Progress(department.name if department else _("未指定牵头部门"), key=department)
        departments[key].add(item)
    ordered_departments = sorted(
        departments.values(),
        key=lambda p: (p.key is None, p.key.sort_order if p.key else 0, p.label),
    )
    return {"plans": plans, "total": total, "sections": list(sections.values()), "departments": ordered_departments}


def department_items(organisation, department_ids, today: date, *, limit: int = 30) -> dict:
    """The items of published plans that the departments lead or support. Five queries.

    {"total", "lead", "done", "open_count", "overdue", "due_soon", "plan_count": counts over all;
     "open": the open (not accepted) items, soonest due first, at most `limit`, each with
     `current_status`, `current_light`, `is_lead` and its plan selected}"""
    ids = list(department_ids)
    items = published_items(organisation).for_department_ids(ids)
    counts = items.aggregate(
        total=Count("id"),
        lead=Count("id", filter=Q(lead_department_id__in=ids)),
        done=Count("id", filter=Q(accepted_at__isnull=False)),
        open_count=Count("id", filter=Q(accepted_at__isnull=True)),
        plan_count=Count("plan", distinct=True),
    )
    open_items = _mark(
        list(
            items.open()
            .select_related("plan", "section", "lead_department")
            .order_by("due_date", "plan_id", "order", "id")[:limit]
        ),
        today,
    )
    for item in open_items:
        item.is_lead = item.lead_department_id in ids
    return {
        **counts,
        "overdue": items.overdue(today).count(),
        "due_soon": items.due_soon(today).count(),
        "open": open_items,
    }
