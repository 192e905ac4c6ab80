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

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from orgs.models import Department
from plans.models import Item, ItemSupport, Milestone, Plan, ProgressReport, Section, Target

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


def _milestones(item_ids=None, *, plans=None) -> dict:
    """(due_date, done_at) pairs by item id, of the listed items or of every item of `plans`."""
    by_item = defaultdict(list)
    if plans is not None:
        milestones = Milestone.objects.filter(item__plan__in=plans)
    else:
        milestones = Milestone.objects.filter(item_id__in=item_ids)
    for item_id, due, done in milestones.values_list("item_id", "due_date", "done_at"):
        by_item[item_id].append((due, done))
    return by_item


def _mark(items: list[Item], today: date, milestones: dict | None = None) -> list[Item]:
    """Attaches `current_status` and `current_light` (one query for all the milestones)."""
    if milestones is None:
        milestones = _milestones([item.pk for item in items])
    for item in items:
        item.current_status = item.status_on(today)
        item.current_light = item.light_on(today, milestones[item.pk])
    return items


# The item fields `Item.status_on`, `Item.light_on` and `Progress.add` read.
STATUS_FIELDS = ("plan_id", "section_id", "lead_department_id", "due_date", "progress", "targets_met", "started")
STATUS_FIELDS += ("closing_requested_at", "accepted_at")


def overview(organisation, year: int, today: date) -> dict:
    """The published plans of `year` at a glance. Five queries.

    {"plans": [Plan...], "total": Progress of all items, "sections": [Progress per section, in
    plan order; `key` is the Section], "departments": [Progress per lead department, in the
    departments' order, "未指定牵头部门" last; `key` is the Department or None]}

    A plan can have a thousand items: they are read with only the fields the status and light
    need, and their sections, departments and milestones once each (not one joined row each)."""
    plans = list(Plan.objects.for_org(organisation).filter(year=year, status=Plan.Status.PUBLISHED))
    items = _mark(
        list(
            Item.objects.filter(plan__in=plans)
            .only(*STATUS_FIELDS)
            .order_by("plan_id", "section__order", "order", "id")
        ),
        today,
        _milestones(plans=plans),
    )
    section_of = {s.pk: s for s in Section.objects.filter(plan__in=plans).defer("text")}
    department_ids = {item.lead_department_id for item in items} - {None}
    department_of = Department.objects.in_bulk(department_ids) if department_ids else {}
    several = len(plans) > 1
    total = Progress(_("合计"))
    sections: dict[int, Progress] = {}
    departments: dict[int | None, Progress] = {}
    for item in items:
        total.add(item)
        section = section_of[item.section_id]
        if section.pk not in sections:
            label = f"{section.marker}{section.title}"
            if several:
                label = f"{label}（{next(p.title for p in plans if p.pk == item.plan_id)}）"
            sections[section.pk] = Progress(label, key=section)
        sections[section.pk].add(item)
        department = department_of.get(item.lead_department_id)
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


# --- The year's close (assessment, letters, the year-end summary) ----------------------------


def year_plan(organisation, year: int) -> Plan | None:
    """The organisation's published plan of `year` (the latest published if there are two)."""
    return (
        Plan.objects.for_org(organisation)
        .filter(year=year, status=Plan.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def _plans_of_year(organisation, year: int):
    return Plan.objects.for_org(organisation).filter(year=year, status=Plan.Status.PUBLISHED)


def _targets_by_item(item_ids) -> dict[int, list[dict]]:
    targets = defaultdict(list)
    for t in (
        Target.objects.filter(item_id__in=item_ids)
        .order_by("order", "id")
        .values("item_id", "id", "text", "count", "achieved")
    ):
        targets[t["item_id"]].append(t)
    return targets


def year_items_led(organisation, year: int, department_id: int) -> list[dict]:
    """Items of the published plans of `year` that the department leads, with their targets:
    [{"id", "number", "title", "due_date", "accepted_at", "targets": [{"text", "count", "achieved"}]}].
    Two queries."""
    items = list(
        Item.objects.filter(plan__in=_plans_of_year(organisation, year), lead_department_id=department_id)
        .order_by("plan_id", "order")
        .values("id", "number", "title", "due_date", "accepted_at")
    )
    targets = _targets_by_item([i["id"] for i in items])
    for item in items:
        item["targets"] = targets.get(item["id"], [])
    return items


def year_items_reported(organisation, year: int, department_id: int) -> list[dict]:
    """Items of the published plans of `year` that the department leads or supports, each with
    the number of progress or closing reports the department posted on it:
    [{"id", "number", "title", "role" ("牵头"|"配合"), "reports"}]. Three queries."""
    plans = _plans_of_year(organisation, year)
    supported = ItemSupport.objects.filter(department_id=department_id).values("item_id")
    items = list(
        Item.objects.filter(plan__in=plans)
        .filter(Q(lead_department_id=department_id) | Q(pk__in=supported))
        .order_by("plan_id", "order")
        .values("id", "number", "title", "lead_department_id")
    )
    counts = defaultdict(int)
    for item_id in ProgressReport.objects.filter(
        item_id__in=[i["id"] for i in items], department_id=department_id
    ).values_list("item_id", flat=True):
        counts[item_id] += 1
    return [
        {
            "id": i["id"],
            "number": i["number"],
            "title": i["title"],
            "role": _("牵头") if i["lead_department_id"] == department_id else _("配合"),
            "reports": counts[i["id"]],
        }
        for i in items
    ]


def year_reports_of_department(organisation, year: int, department_id: int, limit: int = 200) -> list[dict]:
    """Progress and closing reports the department posted on items of the published plans of
    `year` (latest first; a report on a 2023 item posted in January 2024 still counts for 2023), as evidence
    for a self-assessment: [{"id", "item_id", "item_number", "item_title", "kind", "kind_label",
    "text", "created_at", "files": [names]}]. Two queries."""
    reports = list(
        ProgressReport.objects.filter(item__plan__in=_plans_of_year(organisation, year), department_id=department_id)
        .select_related("item")
        .prefetch_related("evidence")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "id": r.pk,
            "item_id": r.item_id,
            "item_number": r.item.number,
            "item_title": r.item.title,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "text": r.text,
            "created_at": r.created_at,
            "files": [e.original_name for e in r.evidence.all()],
        }
        for r in reports
    ]


def department_tasks(plan: Plan, department_id: int) -> dict:
    """What a department leads and supports in `plan`, for its responsibility letter:
    {"lead": [task], "support": [task]} with task = {"number", "section", "title", "text",
    "due_date", "targets": [text], "lead": name, "support": [names]}. Four queries."""
    supported_ids = set(ItemSupport.objects.filter(department_id=department_id).values_list("item_id", flat=True))
    items = list(
        Item.objects.filter(plan=plan)
        .filter(Q(lead_department_id=department_id) | Q(pk__in=supported_ids))
        .select_related("section", "lead_department")
        .order_by("order")
    )
    supports = defaultdict(list)
    for item_id, name in (
        ItemSupport.objects.filter(item__in=items).order_by("order", "id").values_list("item_id", "department__name")
    ):
        supports[item_id].append(name)
    targets = _targets_by_item([i.pk for i in items])
    result = {"lead": [], "support": []}
    for item in items:
        task = {
            "number": item.number,
            "section": item.section.title,
            "title": item.title,
            "text": item.text,
            "due_date": item.due_date,
            "targets": [t["text"] for t in targets.get(item.pk, [])],
            "lead": item.lead_department.name if item.lead_department else "",
            "support": supports[item.pk],
        }
        result["lead" if item.lead_department_id == department_id else "support"].append(task)
    return result


def plan_departments(plan: Plan) -> list[int]:
    """Ids of the departments that lead or support an item of `plan`. Two queries."""
    lead = set(
        Item.objects.filter(plan=plan, lead_department__isnull=False).values_list("lead_department_id", flat=True)
    )
    support = set(ItemSupport.objects.filter(item__plan=plan).values_list("department_id", flat=True))
    return sorted(lead | support)


def year_plan_outline(plan: Plan, today) -> list[dict]:
    """The plan as sections with their items, for the year-end summary:
    [{"title", "marker", "items": [{"id", "number", "title", "status", "status_label", "progress",
    "lead", "due_date", "accepted_at", "targets": [{"id", "text", "count", "achieved"}],
    "reports"}]}]. Four queries, whatever the plan's size."""
    sections = {s.pk: {"title": s.title, "marker": s.marker, "items": []} for s in Section.objects.filter(plan=plan)}
    items = list(Item.objects.filter(plan=plan).select_related("lead_department").order_by("section__order", "order"))
    targets = _targets_of_plan(plan)
    report_counts = defaultdict(int)
    for item_id in ProgressReport.objects.filter(item__plan=plan).values_list("item_id", flat=True):
        report_counts[item_id] += 1
    for item in items:
        status = item.status_on(today)
        sections[item.section_id]["items"].append(
            {
                "id": item.pk,
                "number": item.number,
                "title": item.title,
                "status": status,
                "status_label": Item.Status(status).label,
                "progress": item.progress,
                "lead": item.lead_department.name if item.lead_department else "",
                "due_date": item.due_date,
                "accepted_at": item.accepted_at,
                "targets": targets.get(item.pk, []),
                "reports": report_counts[item.pk],
            }
        )
    return list(sections.values())


def _targets_of_plan(plan: Plan) -> dict[int, list[dict]]:
    """All targets of a large plan in one query (no long IN list)."""
    targets = defaultdict(list)
    for t in (
        Target.objects.filter(item__plan=plan)
        .order_by("order", "id")
        .values("item_id", "id", "text", "count", "achieved")
    ):
        targets[t["item_id"]].append(t)
    return targets


def year_section_progress(plan: Plan) -> list[dict]:
    """Per section of `plan`, in order: {"title", "marker", "items", "done", "progress"} where
    progress is the items' mean progress in percent (0-100, whole number). One query."""
    rows = (
        Item.objects.filter(plan=plan)
        .values("section__order", "section__marker", "section__title")
        .annotate(items=Count("id"), done=Count("id", filter=Q(accepted_at__isnull=False)), mean=Avg("progress"))
        .order_by("section__order")
    )
    return [
        {
            "title": r["section__title"],
            "marker": r["section__marker"],
            "items": r["items"],
            "done": r["done"],
            "progress": round(r["mean"] or 0),
        }
        for r in rows
    ]


def latest_plan_year(organisation, *, up_to: int) -> int | None:
    """The year of the organisation's latest published plan no later than `up_to`. One query."""
    return (
        Plan.objects.for_org(organisation)
        .filter(status=Plan.Status.PUBLISHED, year__lte=up_to)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
