"""Reads of the plan ledger for other modules and home pages. Each function is bounded in
queries whatever the size of the plan, and returns plain data (dicts and lists), never querysets
for the caller to extend."""

from collections import defaultdict

from django.db.models import Avg, Count, Q

from plans.models import Item, ItemSupport, Plan, ProgressReport, Section, Target

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
            "role": "牵头" if i["lead_department_id"] == department_id else "配合",
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
