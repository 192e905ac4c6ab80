"""Plan services: saving an imported plan, publishing, progress, closing, supervision, and
the achievements API through which other modules feed the plan's counted targets."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core import audit
from core.concurrency import StaleEdit, update_if_unchanged  # noqa: F401  (StaleEdit: views catch services.StaleEdit)
from core.exceptions import NotAllowed
from core.figures_cache import bump, bump_for
from integrations import services as webhooks
from integrations.models import EventType
from notifications.services import notify, notify_departments
from orgs.models import Department, Membership, Role
from plans.access import can_close, can_report, user_departments
from plans.models import (
    Achievement,
    Evidence,
    Item,
    ItemEvent,
    ItemSupport,
    Plan,
    ProgressReport,
    Section,
    Target,
    source_text,
)

ITEM_FIELDS = ["title", "text", "lead_department", "owner", "due_date"]


# --- Achievements: the one way other modules feed the plan ---------------------------------


def _recount(target: Target) -> None:
    Target.objects.filter(pk=target.pk).update(achieved=target.achievements.count())
    bump_for(Target, [target.pk])  # a queryset update sends no signal
    refresh_progress(target.item)


@transaction.atomic
def record_achievement(target: Target, *, source, by=None, label: str = "") -> Achievement:
    """Counts `source` (any model instance: an event held, a suggestion adopted) towards
    `target`. Idempotent per source. Recomputes the item's progress; logs on the timeline."""
    source_type = ContentType.objects.get_for_model(source)
    achievement, created = Achievement.objects.get_or_create(
        target=target,
        source_type=source_type,
        source_id=source.pk,
        defaults={"label": (label or str(source))[:300], "recorded_by": by},
    )
    if created:
        _recount(target)
        ItemEvent.objects.create(
            item=target.item,
            kind=ItemEvent.Kind.ACHIEVEMENT,
            user=by,
            note=f"“{target.text}”计入：{achievement.label}",
        )
    return achievement


@transaction.atomic
def withdraw_achievement(target: Target, *, source, by=None) -> bool:
    """Takes the count of `source` back from `target` (an event deleted or un-held)."""
    source_type = ContentType.objects.get_for_model(source)
    deleted, _ = Achievement.objects.filter(target=target, source_type=source_type, source_id=source.pk).delete()
    if deleted:
        _recount(target)
        ItemEvent.objects.create(
            item=target.item, kind=ItemEvent.Kind.ACHIEVEMENT, user=by, note=f"“{target.text}”撤回：{source}"
        )
    return bool(deleted)


def withdraw_all_achievements(source, *, by=None) -> int:
    """Withdraws `source` from every target it counted towards."""
    source_type = ContentType.objects.get_for_model(source)
    targets = Target.objects.filter(achievements__source_type=source_type, achievements__source_id=source.pk)
    return sum(withdraw_achievement(t, source=source, by=by) for t in list(targets))


def targets_for_org(organisation):
    """Targets of the organisation's plans, for modules that link records to targets."""
    return Target.objects.filter(item__plan__organisation=organisation).select_related("item", "item__plan")


# --- Progress and status --------------------------------------------------------------------


def compute_progress(item: Item) -> int:
    """An item with counted targets: achieved / target (capped per target, rounded down so 100
    means every target met), whether or not it was accepted. Without targets: 100 once accepted."""
    targets = list(item.targets.all())
    if targets:
        wanted = sum(t.count for t in targets)
        done = sum(min(t.achieved, t.count) for t in targets)
        return done * 100 // wanted if wanted else 0
    return 100 if item.accepted_at else 0


def unmet_targets(item: Item) -> list[Target]:
    return [t for t in item.targets.all() if not t.is_met]


def refresh_progress(item: Item, *, by=None) -> Item:
    """Recomputes progress, the targets-met flag and the started flag; logs a status change on
    the timeline."""
    item = Item.objects.prefetch_related("targets", "milestones").get(pk=item.pk)
    today = timezone.localdate()
    before = item.status_on(today)
    targets = list(item.targets.all())
    item.progress = compute_progress(item)
    item.targets_met = bool(targets) and all(t.is_met for t in targets)
    item.started = item.started or item.progress > 0 or item.reports.exists()
    item.save(update_fields=["progress", "targets_met", "started"])
    _record_status_change(item, before, item.status_on(today), by=by)
    return item


def emit_overdue_items(today: date | None = None) -> int:
    """The daily check (plans.tasks): an item's 逾期 is computed from the date, so no service call
    sees it happen. Emits `item.overdue` once per item and due date (a later deadline that passes
    again emits again) for items of published plans, in organisations with an endpoint subscribed.
    Returns how many were emitted."""
    today = today or timezone.localdate()
    organisations = webhooks.subscribed_organisations(EventType.ITEM_OVERDUE)
    if not organisations:
        return 0
    items = list(
        Item.objects.overdue(today)
        .filter(plan__status=Plan.Status.PUBLISHED, plan__organisation_id__in=organisations)
        .select_related("plan")
        .order_by("pk")
    )
    done = webhooks.already_sent(EventType.ITEM_OVERDUE, [f"{i.pk}:{i.due_date}" for i in items])
    emitted = 0
    for item in items:
        key = f"{item.pk}:{item.due_date}"
        if key in done:
            continue
        payload = {
            "item_id": item.pk,
            "plan_id": item.plan_id,
            "title": item.title,
            "due_date": item.due_date.isoformat(),
            "status": str(Item.Status.OVERDUE),
        }
        emitted += webhooks.emit_once(item.plan.organisation_id, EventType.ITEM_OVERDUE, key, payload)
    return emitted


# --- Import ---------------------------------------------------------------------------------


def _is_inline_point(node: dict) -> bool:
    return node.get("marker", "").endswith("是")


def _node_text(node: dict) -> str:
    """An item's text, with its inline points (一是…二是…) folded back in."""
    parts = [node.get("text", "")]
    for child in node.get("children", []):
        if _is_inline_point(child):
            parts.append(f"{child['marker']}{child['title']}。{child.get('text', '')}".rstrip("。"))
    return "\n".join(p for p in parts if p).strip()


def plan_rows(parsed: dict) -> list[dict]:
    """The parsed tree flattened to the rows of the review table: sections (depth 0) and items
    (depth 1+), each with a stable key ("0", "0.2", "0.2.1")."""
    rows = []

    def walk(node, key, depth):
        rows.append({"key": key, "depth": depth, "node": node})
        for index, child in enumerate(node.get("children", [])):
            if depth >= 1 and _is_inline_point(child):
                continue
            walk(child, f"{key}.{index}", depth + 1)

    for index, section in enumerate(parsed.get("sections", [])):
        walk(section, str(index), 0)
    return rows


@transaction.atomic
def save_parsed_plan(
    organisation,
    parsed: dict,
    *,
    by,
    year: int,
    title: str = "",
    source_name: str = "",
    department_map: dict[str, Department | None],
    overrides: dict[str, dict] | None = None,
    replace: Plan | None = None,
    request=None,
) -> Plan:
    """Saves a reviewed parse as a draft plan, all in one transaction.

    `department_map` maps every department name as written to a Department (None: unresolved,
    dropped only if the reviewer chose so). `overrides` holds the reviewer's edits by row key:
    marker, title, text, targets ([{"text", "count"}]), lead (Department|None), support
    (list[Department]), due_date. `replace` is a draft of
    the same year to delete first. Audits."""
    overrides = overrides or {}
    if replace is not None:
        if replace.is_published:
            raise NotAllowed(gettext("已发布的工作要点不能被替换。"))
        audit.log("delete", replace, by=by, request=request)
        replace.delete()
    plan = Plan.objects.create(
        organisation=organisation,
        year=year,
        title=(title or parsed.get("title") or f"{year}年工作要点")[:200],
        preamble=parsed.get("preamble", ""),
        source_name=source_name[:200],
        created_by=by,
    )
    year_end = date(year, 12, 31)
    order = 0
    sections: dict[str, Section] = {}
    items: dict[str, Item] = {}
    supports: list[tuple[Item, list[Department]]] = []
    targets: list[Target] = []
    for row in plan_rows(parsed):
        node, key, edit = row["node"], row["key"], overrides.get(row["key"], {})
        order += 1
        node_title = (edit.get("title") or node.get("title") or "").strip()[:500]
        if row["depth"] == 0:
            sections[key] = Section.objects.create(
                plan=plan,
                marker=edit.get("marker", node.get("marker", ""))[:20],
                number=node.get("number") or 0,
                title=node_title,
                text=edit.get("text", node.get("text", "")),
                order=order,
            )
            continue
        section_key = key.split(".")[0]
        parent_key = key.rsplit(".", 1)[0]
        names = node.get("departments", {"lead": [], "support": []})
        lead = (
            edit["lead"]
            if "lead" in edit
            else next((department_map.get(n) for n in names["lead"] if department_map.get(n)), None)
        )
        support = (
            edit["support"]
            if "support" in edit
            else [department_map[n] for n in names["support"] if department_map.get(n)]
        )
        item = Item.objects.create(
            plan=plan,
            section=sections[section_key],
            parent=items.get(parent_key),
            marker=edit.get("marker", node.get("marker", ""))[:20],
            number=node.get("number") or 0,
            title=node_title,
            text=_node_text(node | ({"text": edit["text"]} if "text" in edit else {})),
            lead_department=lead,
            due_date=edit.get("due_date") or year_end,
            order=order,
        )
        items[key] = item
        supports.append((item, [d for d in dict.fromkeys(support) if d and d != lead]))
        for index, target in enumerate(edit.get("targets", node.get("targets", []))):
            targets.append(
                Target(item=item, text=target["text"][:300], count=max(1, int(target["count"])), order=index)
            )
    bump(plan.organisation_id)  # the bulk_creates below send no signal
    Target.objects.bulk_create(targets)
    ItemSupport.objects.bulk_create(
        [
            ItemSupport(item=item, department=d, order=index)
            for item, departments in supports
            for index, d in enumerate(departments)
        ]
    )
    changes = {"sections": ["", str(len(sections))], "items": ["", str(len(items))]}
    audit.log("create", plan, by=by, request=request, changes=changes)
    return plan


@transaction.atomic
def publish_plan(plan: Plan, *, by, request=None) -> int:
    """Draft → published; notifies each department's liaisons of the items they lead or
    support. Returns the number of liaisons notified."""
    if plan.is_published:
        raise NotAllowed(gettext("该工作要点已发布。"))
    plan.status = Plan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    lead_counts: dict[int, int] = {}
    support_counts: dict[int, int] = {}
    for item in plan.items.prefetch_related("support_departments"):
        if item.lead_department_id:
            lead_counts[item.lead_department_id] = lead_counts.get(item.lead_department_id, 0) + 1
        for department in item.support_departments.all():
            support_counts[department.pk] = support_counts.get(department.pk, 0) + 1
    notified = 0
    memberships = Membership.objects.filter(organisation=plan.organisation, role=Role.LIAISON).select_related("user")
    for membership in memberships.prefetch_related("departments"):
        ids = [d.pk for d in membership.departments.all()]
        lead = sum(lead_counts.get(i, 0) for i in ids)
        support = sum(support_counts.get(i, 0) for i in ids)
        if lead or support:
            notified += notify(
                [membership.user],
                organisation=plan.organisation,
                title=gettext("%(title)s已发布") % {"title": plan.title},
                body=gettext("贵部门牵头 %(lead)s 项、配合 %(support)s 项任务，请及时报送进展。")
                % {"lead": lead, "support": support},
                url=reverse("plans:my-department"),
                email=True,
            )
    audit.log("update", plan, by=by, request=request, changes={"status": ["草稿", "已发布"]})
    return notified


@transaction.atomic
def delete_plan(plan: Plan, *, by, request=None) -> None:
    if plan.is_published:
        raise NotAllowed(gettext("已发布的工作要点不能删除。"))
    audit.log("delete", plan, by=by, request=request)
    plan.delete()


# --- Tracking -------------------------------------------------------------------------------


def _locked(item: Item) -> Item:
    """The item as it is now in the database, locked for this transaction."""
    return Item.objects.select_for_update().select_related("plan", "plan__organisation").get(pk=item.pk)


def _reporting_department(item: Item, user) -> Department | None:
    departments = user_departments(user)
    lead = next((d for d in departments if d.pk == item.lead_department_id), None)
    support_ids = {d.pk for d in item.support_departments.all()}
    return lead or next((d for d in departments if d.pk in support_ids), None)


@transaction.atomic
def post_report(item: Item, *, by, text: str, files=(), closing: bool = False, request=None) -> ProgressReport:
    """A progress (进展) or closing (办结) report with evidence files (already checked by the
    form). Marks the item started; a closing report waits for UFD acceptance. Audits."""
    item = _locked(item)
    if not item.plan.is_published:
        raise NotAllowed(gettext("工作要点发布后才能报送进展。"))
    if item.accepted_at:
        raise NotAllowed(gettext("该任务已销号，不能再报送。"))
    if closing and not can_close(item, by):
        raise NotAllowed(gettext("只有牵头部门可以提交办结报告。"))
    if not can_report(item, by):
        raise NotAllowed(gettext("只有牵头或配合部门的联络员可以报送进展。"))
    kind = ProgressReport.Kind.CLOSING if closing else ProgressReport.Kind.PROGRESS
    report = ProgressReport.objects.create(
        item=item, kind=kind, department=_reporting_department(item, by), author=by, text=text
    )
    for upload, file_kind in files:
        Evidence.objects.create(
            report=report, file=upload, original_name=upload.name[:200], kind=file_kind.label, size=upload.size
        )
    now = timezone.now()
    fields = {"last_report_at": now, "started": True}
    if closing:
        fields["closing_requested_at"] = now
    Item.objects.filter(pk=item.pk).update(**fields)
    bump_for(Item, [item.pk])  # a queryset update sends no signal
    ItemEvent.objects.create(
        item=item,
        kind=ItemEvent.Kind.CLOSING if closing else ItemEvent.Kind.REPORT,
        user=by,
        note=text[:500],
        report=report,
    )
    _log_status_change(item, by=by)
    changes = {"item": ["", str(item)], "files": ["", str(len(files))]}
    audit.log("create", report, by=by, request=request, changes=changes, organisation=item.audit_organisation)
    return report


def _log_status_change(item: Item, *, by) -> None:
    _record_status_change(item, item.status, Item.objects.get(pk=item.pk).status, by=by)


def _record_status_change(item: Item, before, after, *, by) -> None:
    """A status that changed goes on the item's timeline and out to the webhooks."""
    if before != after:
        ItemEvent.objects.create(
            item=item,
            kind=ItemEvent.Kind.STATUS,
            user=by,
            note=f"{source_text(Item.Status(before).label)} → {source_text(Item.Status(after).label)}",
        )
        webhooks.emit(
            item.plan.organisation_id,
            EventType.ITEM_STATUS,
            {"item_id": item.pk, "title": item.title, "from": str(before), "to": str(after)},
        )


class UnmetTargets(NotAllowed):
    """销号 asked for while counted targets are unmet, without the confirmation and reason."""


@transaction.atomic
def accept_closing(
    item: Item, *, by, note: str = "", unmet_confirmed: bool = False, unmet_reason: str = "", request=None
) -> Item:
    """UFD staff accept the closing report (销号): the item is done.

    With counted targets unmet, acceptance needs `unmet_confirmed` and an `unmet_reason`
    (else UnmetTargets); the reason and the unmet counts go on the timeline and into the audit.
    Progress keeps showing achieved / target."""
    item = _locked(item)
    if not item.is_closing_pending:
        raise NotAllowed(gettext("该任务没有待审核的办结报告。"))
    unmet = [t for t in Target.objects.filter(item=item) if not t.is_met]
    unmet_reason = unmet_reason.strip()
    if unmet and not (unmet_confirmed and unmet_reason):
        raise UnmetTargets(
            gettext("量化目标尚未全部完成（%(targets)s）：如确需销号，请勾选确认并填写理由。")
            % {"targets": "；".join(f"{t.text} {t.achieved}/{t.count}" for t in unmet)}
        )
    Item.objects.filter(pk=item.pk).update(accepted_at=timezone.now())
    bump_for(Item, [item.pk])
    unmet_text = "；".join(f"{t.text} {t.achieved}/{t.count}" for t in unmet)
    timeline_note = note
    if unmet:
        timeline_note = f"目标未全部完成即销号（{unmet_text}）。理由：{unmet_reason}" + (f"\n{note}" if note else "")
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.ACCEPTED, user=by, note=timeline_note)
    _log_status_change(item, by=by)
    item = refresh_progress(item, by=by)
    changes = {"accepted": ["", "销号"]}
    if unmet:
        changes |= {"unmet_targets": ["", unmet_text], "reason": ["", unmet_reason]}
    audit.log("update", item, by=by, request=request, changes=changes)
    _notify_departments(item, title=gettext("任务已销号：%(title)s") % {"title": item.title}, body=note)
    return item


@transaction.atomic
def return_closing(item: Item, *, by, reason: str, request=None) -> Item:
    """UFD staff return the closing report with a reason; the item goes on."""
    item = _locked(item)
    if not item.is_closing_pending:
        raise NotAllowed(gettext("该任务没有待审核的办结报告。"))
    Item.objects.filter(pk=item.pk).update(closing_requested_at=None)
    bump_for(Item, [item.pk])
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.RETURNED, user=by, note=reason)
    audit.log("update", item, by=by, request=request, changes={"closing": ["待审核", f"退回：{reason}"]})
    _notify_departments(
        item, title=gettext("办结报告被退回：%(title)s") % {"title": item.title}, body=reason, lead_only=True
    )
    return item


def _notify_departments(item: Item, *, title: str, body: str = "", lead_only: bool = False) -> int:
    return notify_departments(
        [item.lead_department] if lead_only else item.departments(),
        organisation=item.plan.organisation,
        title=title,
        body=body,
        url=reverse("plans:item-detail", args=[item.pk]),
    )


@transaction.atomic
def urge(item: Item, *, by, note: str = "", request=None) -> int:
    """催办: notifies the lead and support departments' liaisons; logged on the item."""
    item = _locked(item)
    if item.accepted_at:
        raise NotAllowed(gettext("该任务已销号，无需催办。"))
    count = _notify_departments(
        item, title=gettext("催办：%(title)s") % {"title": item.title}, body=note or gettext("请尽快推进并报送进展。")
    )
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.URGED, user=by, note=note)
    audit.log("update", item, by=by, request=request, changes={"urged": ["", note or "催办"]})
    return count


def departments_without_liaison(departments) -> list[Department]:
    """Those of `departments` that no liaison account is linked to (催办 would reach nobody there)."""
    departments = [d for d in departments if d]
    linked = set(
        Membership.objects.filter(role=Role.LIAISON, departments__in=[d.pk for d in departments]).values_list(
            "departments", flat=True
        )
    )
    return [d for d in departments if d.pk not in linked]


def liaison_department_ids(organisation) -> set[int]:
    """Departments of the organisation that have at least one liaison (one query)."""
    return set(
        Membership.objects.filter(organisation=organisation, role=Role.LIAISON, departments__isnull=False).values_list(
            "departments", flat=True
        )
    )


def urge_many(items, *, by, note: str = "", request=None) -> list[tuple[Item, int, list[Department]]]:
    """催办 several items at once: `urge` each (one timeline entry and one audit per item).
    Returns (item, liaisons notified, departments without a liaison) per item urged; items
    already accepted are skipped."""
    results = []
    for item in items:
        if item.accepted_at:
            continue
        count = urge(item, by=by, note=note, request=request)
        results.append((item, count, departments_without_liaison(item.departments())))
    return results


@transaction.atomic
def complete_milestone(milestone, *, by, done: bool = True, request=None):
    """Marks a milestone reached (or not); logged on the item's timeline. Audits."""
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done_at"])
    state = "已完成" if done else "未完成"
    ItemEvent.objects.create(
        item=milestone.item, kind=ItemEvent.Kind.EDITED, user=by, note=f"节点“{milestone.title}”{state}"
    )
    audit.log("update", milestone, by=by, request=request, changes={"done": ["", state]})
    return milestone


@transaction.atomic
def update_item(item: Item, *, by, data: dict, version: int, request=None) -> Item:
    """Saves an edit only if nobody saved since `version` was read; else raises StaleEdit."""
    before = audit.snapshot(item, ITEM_FIELDS) | {"support": "、".join(d.name for d in item.support_departments.all())}
    update_if_unchanged(Item, item.pk, version, **{f: data[f] for f in ITEM_FIELDS if f in data})
    item = Item.objects.get(pk=item.pk)
    if "support_departments" in data:
        wanted = [d for d in data["support_departments"] if d != item.lead_department]
        ItemSupport.objects.filter(item=item).exclude(department__in=wanted).delete()
        kept = set(ItemSupport.objects.filter(item=item).values_list("department_id", flat=True))
        start = len(kept)
        ItemSupport.objects.bulk_create(
            [ItemSupport(item=item, department=d, order=start + i) for i, d in enumerate(wanted) if d.pk not in kept]
        )
    after = audit.snapshot(item, ITEM_FIELDS) | {"support": "、".join(d.name for d in item.support_departments.all())}
    changes = audit.diff(before, after)
    with translation.override(None):  # timeline notes are stored in the source language
        note = "、".join(audit.field_label(Item, f) for f in changes)
    ItemEvent.objects.create(item=item, kind=ItemEvent.Kind.EDITED, user=by, note=note)
    audit.log("update", item, by=by, request=request, changes=changes)
    return item
