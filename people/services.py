"""Registry services: every change is audited and kept in the person's history; concurrent
edits are refused, not merged. The reads other apps use (`group_members`, `people_with_consent`,
figures) are in `people.queries`; the import (checking and saving a spreadsheet) is in
`people.imports`.

Hooks other modules register into (from their `AppConfig.ready()`), so people never imports them:
- `on_consent_withdrawn(func)`: `func(person, *, by, request)` runs inside the transaction that
  withdraws a person's last publicity consent (publicity unpublishes their stories).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core import audit
from core.concurrency import StaleEdit, update_if_unchanged  # noqa: F401  (StaleEdit: views catch services.StaleEdit)
from core.crypto import field_digest
from core.figures_cache import bump
from notifications.services import notify
from orgs.models import Role
from people.models import (
    Category,
    ContactRecord,
    Group,
    Person,
    PersonCategory,
    PersonChange,
    ProfileChangeRequest,
    PublicityConsent,
    mask_email,
    mask_phone,
    source_text,
)
from people.pinyin import name_keys

FIELDS = [
    "name",
    "gender",
    "birth_month",
    "staff_number",
    "department",
    "job_title",
    "professional_title",
    "education",
    "phone",
    "email",
]
LABELS = {
    "name": gettext_noop("姓名"),
    "gender": gettext_noop("性别"),
    "birth_month": gettext_noop("出生年月"),
    "staff_number": gettext_noop("工号"),
    "department": gettext_noop("所在部门"),
    "job_title": gettext_noop("职务"),
    "professional_title": gettext_noop("职称"),
    "education": gettext_noop("学历"),
    "phone": gettext_noop("手机"),
    "email": gettext_noop("邮箱"),
    "categories": gettext_noop("统战对象类别"),
    "assigned_cadres": gettext_noop("联系干部"),
}


# Personal contact data is recorded in the audit log and the history only as masked values:
# the reader must see that it changed, not what it is.
MASKED = {"phone": "masked_phone", "email": "masked_email", "birth_month": None}


def mask_value(field: str, value: str) -> str:
    if not value or field not in MASKED:
        return value
    if field == "phone":
        return mask_phone(value)
    if field == "email":
        return mask_email(value)
    return "****"


def _snapshot(person: Person, *, categories: list[str] | None = None) -> dict:
    values = audit.snapshot(person, FIELDS)
    labels = dict(Category.choices)
    codes = person.categories if categories is None else categories
    values["categories"] = "、".join(source_text(labels[c]) for c in sorted(codes) if c in labels)
    for field, masked in MASKED.items():
        if values[field]:
            values[field] = getattr(person, masked) if masked else "****"
    return values


def set_name_keys(person: Person) -> None:
    """The pinyin search keys and the phone digest, from the name and phone as set."""
    person.name_initials, person.name_pinyin = name_keys(person.name)
    person.phone_digest = field_digest(person.phone or "")


def _set_categories(person: Person, categories: list[str]) -> None:
    person.category_links.exclude(category__in=categories).delete()
    existing = set(person.category_links.values_list("category", flat=True))
    PersonCategory.objects.bulk_create(
        [PersonCategory(person=person, category=c) for c in categories if c not in existing]
    )
    bump(person.organisation_id)  # bulk_create sends no signal


def _keep_history(person: Person, *, by, changes: dict, note: str = "") -> None:
    if changes:
        PersonChange.objects.create(person=person, user=by, changes=changes, note=note)


def _reload(person: Person) -> Person:
    return Person.objects.prefetch_related("category_links", "assigned_cadres").get(pk=person.pk)


def _cadre_names(person: Person) -> str:
    return "、".join(sorted(str(u) for u in person.assigned_cadres.all()))


@transaction.atomic
def create_person(organisation, *, by, data: dict, request=None) -> Person:
    """Creates a registry record. Audits; starts the person's history."""
    person = Person(organisation=organisation, **{f: data[f] for f in FIELDS if f in data})
    set_name_keys(person)
    person.save()
    _set_categories(person, data.get("categories", []))
    if "assigned_cadres" in data:
        person.assigned_cadres.set(data["assigned_cadres"])
    person = _reload(person)
    changes = audit.diff({}, _snapshot(person))
    audit.log("create", person, by=by, organisation=organisation, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes, note=gettext_noop("新建"))
    return person


@transaction.atomic
def update_person(person: Person, *, by, data: dict, version: int, request=None, note: str = "") -> Person:
    """Saves the edit only if nobody saved since `version` was read; else raises StaleEdit.
    Audits the changed fields and keeps them in the person's history."""
    person = _reload(person)
    before = _snapshot(person) | {"assigned_cadres": _cadre_names(person)}
    values = {f: data[f] for f in FIELDS if f in data}
    if "name" in values:
        values["name_initials"], values["name_pinyin"] = name_keys(values["name"])
    if "phone" in values:
        values["phone_digest"] = field_digest(values["phone"] or "")
    update_if_unchanged(Person, person.pk, version, updated_at=timezone.now(), **values)
    if "categories" in data:
        _set_categories(person, data["categories"])
    if "assigned_cadres" in data:
        person.assigned_cadres.set(data["assigned_cadres"])
    person = _reload(person)
    changes = audit.diff(before, _snapshot(person) | {"assigned_cadres": _cadre_names(person)})
    audit.log("update", person, by=by, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes, note=note)
    return person


@transaction.atomic
def delete_person(person: Person, *, by, request=None) -> None:
    audit.log("delete", person, by=by, request=request, changes={k: [v, ""] for k, v in _snapshot(person).items() if v})
    person.delete()


def record_view(person: Person, *, by, request=None, purpose: str = "") -> None:
    """Every read of a person's record is audited; an unmasked read carries its purpose."""
    changes = {"purpose": purpose, "unmasked": "手机、邮箱"} if purpose else {}
    audit.log("view", person, by=by, request=request, changes=changes)


# --- Parties, posts, awards, study abroad, consent -----------------------------------------


@transaction.atomic
def add_record(person: Person, *, form, kind_label: str, by, request=None):
    """Saves a related record (its ModelForm, already valid) for `person`. Audits; history."""
    record = form.save(commit=False)
    record.person = person
    record.save()
    changes = {kind_label: ["", str(record)]}
    audit.log("update", person, by=by, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes)
    return record


_CONSENT_WITHDRAWN_HOOKS: list = []


def on_consent_withdrawn(func):
    """Registers `func(person, *, by, request)`, called when a person's last publicity consent is
    withdrawn, inside the withdrawing transaction. Idempotent; returns `func` (usable as a decorator)."""
    if func not in _CONSENT_WITHDRAWN_HOOKS:
        _CONSENT_WITHDRAWN_HOOKS.append(func)
    return func


@transaction.atomic
def remove_record(record, *, kind_label: str, by, request=None) -> None:
    """Deletes a related record; a publicity consent is withdrawn instead (kept for the record).
    When that leaves the person with no consent, the `on_consent_withdrawn` hooks run."""
    person = record.person
    withdrawn = False
    if isinstance(record, PublicityConsent):
        record.withdrawn_at = timezone.localdate()
        record.save(update_fields=["withdrawn_at"])
        changes = {kind_label: [f"同意（{record.given_at:%Y-%m-%d}）", f"已撤回（{record.withdrawn_at:%Y-%m-%d}）"]}
        withdrawn = not person.consents.filter(withdrawn_at__isnull=True).exists()
    else:
        changes = {kind_label: [str(record), ""]}
        record.delete()
    audit.log("update", person, by=by, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes)
    if withdrawn:
        for hook in list(_CONSENT_WITHDRAWN_HOOKS):
            hook(person, by=by, request=request)


# --- Groups ---------------------------------------------------------------------------------


@transaction.atomic
def create_group(organisation, *, by, name: str, filter: dict | None = None, request=None) -> Group:
    """A saved-filter group when `filter` is given, else an empty static group. Audits."""
    kind = Group.Kind.SAVED if filter is not None else Group.Kind.STATIC
    group = Group.objects.create(organisation=organisation, name=name, kind=kind, filter=filter or {}, created_by=by)
    audit.log(
        "create",
        group,
        by=by,
        organisation=organisation,
        request=request,
        changes={"name": ["", name], "kind": ["", group.get_kind_display()], "filter": ["", str(filter or "")]},
    )
    return group


@transaction.atomic
def add_to_group(group: Group, *, people, by, request=None) -> int:
    people = [p for p in people if p.organisation_id == group.organisation_id]
    group.members.add(*people)
    audit.log("update", group, by=by, request=request, changes={"members": ["", f"加入 {len(people)} 人"]})
    return len(people)


@transaction.atomic
def remove_from_group(group: Group, *, person: Person, by, request=None) -> None:
    group.members.remove(person)
    audit.log("update", group, by=by, request=request, changes={"members": [person.name, ""]})


@transaction.atomic
def delete_group(group: Group, *, by, request=None) -> None:
    audit.log("delete", group, by=by, request=request)
    group.delete()


# --- Contact log ----------------------------------------------------------------------------


@transaction.atomic
def record_contact(person: Person, *, by, data: dict, request=None) -> ContactRecord:
    """Adds a contact record (联谊交友 / 谈心谈话). Audits."""
    record = ContactRecord.objects.create(
        person=person,
        recorded_by=by,
        **{k: data[k] for k in ("date", "met_by", "method", "raised", "follow_up_needed", "follow_up")},
    )
    audit.log(
        "create",
        record,
        by=by,
        organisation=person.organisation,
        request=request,
        changes={"person": ["", person.name], "method": ["", record.get_method_display()]},
    )
    return record


@transaction.atomic
def record_outcome(record: ContactRecord, *, by, outcome: str, close: bool, request=None) -> ContactRecord:
    """Writes the follow-up's outcome; `close` marks it done. Audits."""
    before = {"outcome": record.outcome, "closed": "是" if record.closed_at else "否"}
    record.outcome = outcome
    if close and record.closed_at is None:
        record.closed_at = timezone.now()
    record.save(update_fields=["outcome", "closed_at"])
    audit.log(
        "update",
        record,
        by=by,
        organisation=record.person.organisation,
        request=request,
        changes=audit.diff(before, {"outcome": outcome, "closed": "是" if record.closed_at else "否"}),
    )
    return record


# --- Profile change requests ------------------------------------------------------------------


@transaction.atomic
def propose_change(person: Person, *, by, changes: dict, request=None) -> ProfileChangeRequest:
    """A member's proposal for their own profile; replaces their pending one. Notifies UFD staff."""
    pending = person.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()
    if pending is None:
        pending = ProfileChangeRequest(person=person, requested_by=by)
    pending.changes = changes
    pending.save()
    audit.log(
        "create",
        pending,
        by=by,
        organisation=person.organisation,
        request=request,
        changes={LABELS.get(f, f): [mask_value(f, a), mask_value(f, b)] for f, (a, b) in changes.items()},
    )
    staff = get_user_model().objects.filter(
        membership__organisation=person.organisation, membership__role=Role.UFD_STAFF, is_active=True
    )
    notify(
        staff,
        organisation=person.organisation,
        title=gettext("%(name)s 申请修改个人信息") % {"name": person.name},
        url=reverse("people:changes"),
    )
    return pending


@transaction.atomic
def approve_change(change: ProfileChangeRequest, *, by, request=None) -> Person:
    """Applies the proposed values to the profile (history note: 本人申请), notifies the member."""
    person = Person.objects.select_for_update().get(pk=change.person_id)
    data = {field: new for field, (_old, new) in change.changes.items() if field in FIELDS}
    person = update_person(
        person, by=by, data=data, version=person.version, request=request, note=gettext_noop("本人申请，审核通过")
    )
    change.status = ProfileChangeRequest.Status.APPROVED
    change.reviewed_by, change.reviewed_at = by, timezone.now()
    change.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    notify(
        [person.user],
        organisation=person.organisation,
        title=gettext("您的信息修改已通过审核"),
        url=reverse("people:me"),
    )
    return person


@transaction.atomic
def reject_change(change: ProfileChangeRequest, *, by, reason: str, request=None) -> None:
    change.status = ProfileChangeRequest.Status.REJECTED
    change.reviewed_by, change.reviewed_at, change.reason = by, timezone.now(), reason
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    audit.log(
        "update",
        change,
        by=by,
        organisation=change.person.organisation,
        request=request,
        changes={"status": ["待审核", "已退回"], "reason": ["", reason]},
    )
    notify(
        [change.person.user],
        organisation=change.person.organisation,
        title=gettext("您的信息修改未通过审核"),
        body=reason,
        url=reverse("people:me"),
    )


# --- Export -----------------------------------------------------------------------------------


def watermark(user, *, now=None) -> str:
    """导出人：王同心　导出时间：2026年11月26日 21:30"""
    now = timezone.localtime(now)
    who = (getattr(user, "name", "") or user.get_username()) if user else "命令行"
    return f"导出人：{who}　导出时间：{now.year}年{now.month}月{now.day}日 {now:%H:%M}"


def record_export(organisation, *, by, what: str, filter: str, rows: int, purpose: str = "", request=None) -> None:
    """Every export is audited: who, when (the event), which filter, how many rows, and the
    purpose when contact data was exported unmasked."""
    changes = {"export": what, "filter": filter, "rows": rows}
    if purpose:
        changes |= {"purpose": purpose, "unmasked": "手机、邮箱"}
    audit.log(
        "export",
        by=by,
        organisation=organisation,
        request=request,
        changes=changes,
        username="" if by else "命令行",
        object_type="people.person",
    )


def link_account(person: Person, user) -> None:
    """Single sign-on provisioned `user` for `person` (accounts audits the provisioning)."""
    person.user = user
    person.save(update_fields=["user"])
