"""Registry services: every change is audited and kept in the person's history; concurrent
edits are refused, not merged.

Query functions other modules call (documented, stable):
- `group_members(group) -> QuerySet[Person]`: whom an event or study push targets.
- `people_with_consent(organisation) -> QuerySet[Person]`: whom publicity may name.

Hooks other modules register into (from their `AppConfig.ready()`), so people never imports them:
- `on_consent_withdrawn(func)`: `func(person, *, by, request)` runs inside the transaction that
  withdraws a person's last publicity consent (publicity unpublishes their stories).
"""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from core import audit, jobs
from core.bounded import LimitExceeded, run_bounded
from core.concurrency import StaleEdit, update_if_unchanged  # noqa: F401  (StaleEdit: views catch services.StaleEdit)
from core.crypto import field_digest
from core.models import BackgroundJob
from notifications.services import notify
from orgs.models import Department, Organisation, Role
from people.imports import Checked, ImportFileError, check_rows, normalise, read_sheet
from people.models import (
    Category,
    ContactRecord,
    Group,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    PersonChange,
    ProfileChangeRequest,
    PublicityConsent,
    PublicPost,
    StudyAbroad,
    mask_email,
    mask_phone,
    source_text,
)
from people.pinyin import name_keys

log = logging.getLogger(__name__)

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


def _set_name_keys(person: Person) -> None:
    person.name_initials, person.name_pinyin = name_keys(person.name)
    person.phone_digest = field_digest(person.phone or "")


def _set_categories(person: Person, categories: list[str]) -> None:
    person.category_links.exclude(category__in=categories).delete()
    existing = set(person.category_links.values_list("category", flat=True))
    PersonCategory.objects.bulk_create(
        [PersonCategory(person=person, category=c) for c in categories if c not in existing]
    )


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
    _set_name_keys(person)
    person.save()
    _set_categories(person, data.get("categories", []))
    if "assigned_cadres" in data:
        person.assigned_cadres.set(data["assigned_cadres"])
    person = _reload(person)
    changes = audit.diff({}, _snapshot(person))
    audit.record("create", user=by, organisation=organisation, obj=person, request=request, changes=changes)
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
    audit.record("update", user=by, organisation=person.organisation, obj=person, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes, note=note)
    return person


@transaction.atomic
def delete_person(person: Person, *, by, request=None) -> None:
    audit.record(
        "delete",
        user=by,
        organisation=person.organisation,
        obj=person,
        request=request,
        changes={k: [v, ""] for k, v in _snapshot(person).items() if v},
    )
    person.delete()


def record_view(person: Person, *, by, request=None, purpose: str = "") -> None:
    """Every read of a person's record is audited; an unmasked read carries its purpose."""
    changes = {"purpose": purpose, "unmasked": "手机、邮箱"} if purpose else {}
    audit.record("view", user=by, organisation=person.organisation, obj=person, request=request, changes=changes)


# --- Parties, posts, awards, study abroad, consent -----------------------------------------


@transaction.atomic
def add_record(person: Person, *, form, kind_label: str, by, request=None):
    """Saves a related record (its ModelForm, already valid) for `person`. Audits; history."""
    record = form.save(commit=False)
    record.person = person
    record.save()
    changes = {kind_label: ["", str(record)]}
    audit.record("update", user=by, organisation=person.organisation, obj=person, request=request, changes=changes)
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
    audit.record("update", user=by, organisation=person.organisation, obj=person, request=request, changes=changes)
    _keep_history(person, by=by, changes=changes)
    if withdrawn:
        for hook in list(_CONSENT_WITHDRAWN_HOOKS):
            hook(person, by=by, request=request)


def people_with_consent(organisation) -> QuerySet:
    """People of `organisation` with a publicity consent given and not withdrawn."""
    return Person.objects.for_org(organisation).with_consent()


# --- Groups ---------------------------------------------------------------------------------


def group_members(group: Group) -> QuerySet:
    """The people a group targets, as a QuerySet of Person in the group's organisation.
    A saved-filter group is evaluated now (people added to the registry later are included);
    a static group is its hand-picked members."""
    from people.forms import PersonFilterForm

    people = Person.objects.for_org(group.organisation)
    if group.kind == Group.Kind.STATIC:
        return people.filter(static_groups=group)
    data = QueryDict(mutable=True)
    for key, value in group.filter.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    form = PersonFilterForm(data, organisation=group.organisation)
    return form.filter(people)


@transaction.atomic
def create_group(organisation, *, by, name: str, filter: dict | None = None, request=None) -> Group:
    """A saved-filter group when `filter` is given, else an empty static group. Audits."""
    kind = Group.Kind.SAVED if filter is not None else Group.Kind.STATIC
    group = Group.objects.create(organisation=organisation, name=name, kind=kind, filter=filter or {}, created_by=by)
    audit.record(
        "create",
        user=by,
        organisation=organisation,
        obj=group,
        request=request,
        changes={"name": ["", name], "kind": ["", group.get_kind_display()], "filter": ["", str(filter or "")]},
    )
    return group


@transaction.atomic
def add_to_group(group: Group, *, people, by, request=None) -> int:
    people = [p for p in people if p.organisation_id == group.organisation_id]
    group.members.add(*people)
    audit.record(
        "update",
        user=by,
        organisation=group.organisation,
        obj=group,
        request=request,
        changes={"members": ["", f"加入 {len(people)} 人"]},
    )
    return len(people)


@transaction.atomic
def remove_from_group(group: Group, *, person: Person, by, request=None) -> None:
    group.members.remove(person)
    audit.record(
        "update",
        user=by,
        organisation=group.organisation,
        obj=group,
        request=request,
        changes={"members": [person.name, ""]},
    )


@transaction.atomic
def delete_group(group: Group, *, by, request=None) -> None:
    audit.record("delete", user=by, organisation=group.organisation, obj=group, request=request)
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
    audit.record(
        "create",
        user=by,
        organisation=person.organisation,
        obj=record,
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
    audit.record(
        "update",
        user=by,
        organisation=record.person.organisation,
        obj=record,
        request=request,
        changes=audit.diff(before, {"outcome": outcome, "closed": "是" if record.closed_at else "否"}),
    )
    return record


def open_follow_ups(user) -> QuerySet:
    """The follow-ups `user` recorded that are not closed yet, oldest first."""
    return (
        ContactRecord.objects.open_follow_ups().filter(recorded_by=user).select_related("person").order_by("date", "id")
    )


CONTACTED_SHOWN = 50


def contact_figures(organisation, *, year: int) -> dict:
    """Contacts per person in `year` (most first) and the people not contacted in `year`."""
    people = (
        Person.objects.for_org(organisation)
        .select_related("department")
        .annotate(contacts_in_year=Count("contacts", filter=Q(contacts__date__year=year)))
    )
    # The most contacted first, the first CONTACTED_SHOWN only (thousands at scale); the counts cover all.
    contacted_all = people.filter(contacts_in_year__gt=0).order_by("-contacts_in_year", "name", "id")
    contacted = list(contacted_all[:CONTACTED_SHOWN])
    contacted_count = contacted_all.count()
    # Not contacted: a query, not a list - the page shows it a page at a time (thousands at scale).
    not_contacted = (
        Person.objects.for_org(organisation)
        .exclude(Exists(ContactRecord.objects.filter(person=OuterRef("pk"), date__year=year)))
        .select_related("department")
        .only("pk", "name", "department__name")
        .order_by("name", "id")
    )
    total = Person.objects.for_org(organisation).count()
    return {
        "year": year,
        "contacted": contacted,
        "not_contacted": not_contacted,
        "contacted_count": contacted_count,
        "contacted_shown": CONTACTED_SHOWN,
        "not_contacted_count": total - contacted_count,
        "contact_count": ContactRecord.objects.filter(person__organisation=organisation, date__year=year).count(),
        "people_count": total,
    }


def registry_summary(organisation) -> dict:
    """Counts for the figures page: by category, by party, by post kind, returned scholars."""
    people = Person.objects.for_org(organisation)
    by_category = dict(
        PersonCategory.objects.filter(person__organisation=organisation)
        .values_list("category")
        .annotate(n=Count("person", distinct=True))
    )
    by_party = dict(
        PartyMembership.objects.filter(person__organisation=organisation)
        .values_list("party")
        .annotate(n=Count("person", distinct=True))
    )
    by_post = dict(
        PublicPost.objects.filter(person__organisation=organisation)
        .values_list("kind")
        .annotate(n=Count("person", distinct=True))
    )
    # 留学回国人员 by its one definition (category or a study record, once per person), so the tile
    # and the by-category row are the same number.
    returned = people.returned_scholars().count()
    by_category[Category.RETURNED_SCHOLAR] = returned
    return {
        "total": people.count(),
        "returned": returned,
        "by_category": [(label, by_category.get(code, 0)) for code, label in Category.choices],
        "by_party": [(label, by_party.get(code, 0)) for code, label in Party.choices],
        "by_post": [(label, by_post.get(code, 0)) for code, label in PublicPost.Kind.choices],
    }


# --- Profile change requests ------------------------------------------------------------------


@transaction.atomic
def propose_change(person: Person, *, by, changes: dict, request=None) -> ProfileChangeRequest:
    """A member's proposal for their own profile; replaces their pending one. Notifies UFD staff."""
    pending = person.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()
    if pending is None:
        pending = ProfileChangeRequest(person=person, requested_by=by)
    pending.changes = changes
    pending.save()
    audit.record(
        "create",
        user=by,
        organisation=person.organisation,
        obj=pending,
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
    audit.record(
        "update",
        user=by,
        organisation=change.person.organisation,
        obj=change,
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


# --- Import -----------------------------------------------------------------------------------


def department_directory(organisation) -> dict[str, int]:
    """Normalised name, short name and alias -> department id."""
    directory = {}
    for department in Department.objects.for_org(organisation).prefetch_related("aliases"):
        for name in [department.name, department.short_name, *department.alias_names]:
            if name:
                directory.setdefault(normalise(name), department.pk)
    return directory


# The preview reads the upload inside the web request: its child gets less time than a job's, so
# a hostile file is cut off well before the web server's own worker timeout (30 s in gunicorn).
PREVIEW_SECONDS = 15


def check_import(organisation, file, *, progress=None, seconds: int | None = None) -> Checked:
    """Reads and checks an import file against the organisation's departments and people.
    `progress(done, total)` is called every 200 rows. The file is read in a child process under
    a memory ceiling and a time limit (core.bounded; `seconds` overrides TONGXIN_PARSE_SECONDS):
    raises ImportFileError or LimitExceeded, each with a one-line Chinese `message`."""
    header, rows = run_bounded(read_sheet, file, seconds=seconds)
    existing = dict(Person.objects.for_org(organisation).exclude(staff_number="").values_list("staff_number", "pk"))
    report = (lambda done: progress(done, len(rows))) if progress else None
    return check_rows(header, rows, departments=department_directory(organisation), existing=existing, progress=report)


def _import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(upload) -> str:
    """Keeps an uploaded import file between preview and confirmation; returns its token."""
    token = uuid.uuid4().hex
    directory = _import_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{token}.xlsx").open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def upload_path(token: str) -> Path | None:
    """The kept file of `token`, or None when the token is malformed or the file gone."""
    try:
        token = uuid.UUID(hex=str(token)).hex
    except ValueError:
        return None
    path = _import_dir() / f"{token}.xlsx"
    return path if path.exists() else None


def start_import(organisation, *, by, token: str, source: str) -> BackgroundJob:
    """Creates the job and enqueues the import after commit; the page polls the job."""
    job = jobs.create_job(
        "导入统战对象",
        user=by,
        organisation=organisation,
        task="people.import",
        params={"token": token, "source": source},
    )
    transaction.on_commit(lambda: import_people_task(str(job.pk), organisation.pk, by.pk, token, source))
    return job


@jobs.restartable("people.import")
def _restart_import(job: BackgroundJob, by) -> BackgroundJob:
    """A killed import again, from its kept file (gone once imported or after 24 hours)."""
    if upload_path(job.params.get("token", "")) is None:
        raise jobs.JobError(_("上传的文件已删除（已导入或超过保留时间），请重新上传。"))
    return start_import(job.organisation, by=by, token=job.params["token"], source=job.params.get("source", ""))


def run_import(job_id, *, organisation, by, token: str, source: str) -> dict | None:
    """The job's work: check the kept file again, then save it all or nothing. Removes the file."""
    path = upload_path(token)
    if path is None:
        jobs.fail_job(job_id, "上传的文件已失效，请重新上传。")
        return None

    def progress(done, total):
        jobs.report_progress(job_id, done, total)

    try:
        with path.open("rb") as file:
            checked = check_import(organisation, file, progress=progress)
        if not checked.ok:
            shown = "；".join(str(p) for p in checked.problems[:5])
            jobs.fail_job(job_id, f"发现 {len(checked.problems)} 处问题，未导入任何数据：{shown}")
            return None
        total = len(checked.rows)
        jobs.report_progress(job_id, total, total, message="检查通过，正在保存……")
        result = import_people(organisation, by=by, checked=checked, source=source)
    except (ImportFileError, LimitExceeded) as error:
        jobs.fail_job(job_id, error.message)
        return None
    except Exception:
        log.exception("people import %s failed", job_id)
        jobs.fail_job(job_id, "导入失败，未保存任何数据。请检查文件后重试。")
        return None
    finally:
        path.unlink(missing_ok=True)
    jobs.finish_job(
        job_id,
        result=result | {"url": reverse("people:list"), "label": "查看名册"},
        message=f"导入完成：新增 {result['created']} 人，更新 {result['updated']} 人。",
    )
    return result


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


IMPORT_FIELDS = [
    "name",
    "gender",
    "birth_month",
    "staff_number",
    "job_title",
    "professional_title",
    "education",
    "phone",
    "email",
]


def _row_snapshot(person: Person, *, categories, departments: dict[int, str]) -> dict:
    """`_snapshot` without a query per person: department names and categories passed in."""
    values = {f: "" if getattr(person, f) is None else str(getattr(person, f)) for f in IMPORT_FIELDS}
    values["department"] = departments.get(person.department_id, "")
    labels = dict(Category.choices)
    values["categories"] = "、".join(source_text(labels[c]) for c in sorted(categories) if c in labels)
    for field in MASKED:
        values[field] = mask_value(field, values[field])
    return values


def _update_rows(model, objects: list, fields: list[str]) -> None:
    """UPDATE ... WHERE id = %s for each object, in one executemany: Django's bulk_update
    builds a CASE per field and row and takes minutes for 10,000 rows."""
    if not objects:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    assignments = ", ".join(f"{quote(c.column)} = %s" for c in columns)
    # Only quoted table and column names from the model's own metadata; values are parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    params = [[c.get_db_prep_save(getattr(o, c.attname), connection) for c in columns] + [o.pk] for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


STUDY_FIELDS = ["country_region", "institution", "degree", "start_month", "end_month", "return_month"]


def _insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """INSERT in one executemany, without building model instances (bulk_create spends most of
    a 10,000-row import doing that)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(f) for f in fields]
    names = ", ".join(quote(c.column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Only quoted table and column names from the model's own metadata; values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    params = [[c.get_db_prep_save(v, connection) for c, v in zip(columns, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def import_people(organisation, *, by, checked: Checked, source: str = "", request=None) -> dict:
    """Saves a checked import in one transaction: new people are created, people with the same
    staff number updated (empty cells keep the old value). Keeps each person's history and
    writes one audit event. Returns {"created": n, "updated": m}."""
    if not checked.ok:
        raise ValueError("import has problems")
    now = timezone.now()
    base = IMPORT_FIELDS
    by_id = by.pk if by else None

    departments = dict(Department.objects.for_org(organisation).values_list("pk", "name"))
    updating = {r.existing_id for r in checked.rows if r.existing_id}
    people = {}
    if updating:
        # The whole organisation in one query rather than an IN list of thousands of ids.
        people = {p.pk: p for p in Person.objects.for_org(organisation).exclude(staff_number="") if p.pk in updating}
    categories_of: dict[int, list[str]] = {}
    for person_id, category in PersonCategory.objects.filter(person__organisation=organisation).values_list(
        "person_id", "category"
    ):
        if person_id in updating:
            categories_of.setdefault(person_id, []).append(category)

    new_people, new_rows, changed, history = [], [], [], []
    for row in checked.rows:
        data = row.data
        if row.existing_id is None:
            person = Person(organisation=organisation, department_id=data["department"], created_at=now)
            for f in base:
                setattr(person, f, data[f])
            _set_name_keys(person)
            new_people.append(person)
            new_rows.append(row)
            continue
        person = people[row.existing_id]
        before = _row_snapshot(person, categories=categories_of.get(person.pk, []), departments=departments)
        for f in base:
            if data[f] not in ("", None):
                setattr(person, f, data[f])
        if data["department"]:
            person.department_id = data["department"]
        _set_name_keys(person)
        person.version += 1
        person.updated_at = now
        after_categories = data["categories"] if data["categories"] is not None else categories_of.get(person.pk, [])
        changes = audit.diff(before, _row_snapshot(person, categories=after_categories, departments=departments))
        if changes:
            history.append((person.pk, by_id, now, changes, gettext_noop("批量导入更新")))
        changed.append((row, person))

    Person.objects.bulk_create(new_people, batch_size=500)
    for row, person in zip(new_rows, new_people, strict=True):
        snapshot = _row_snapshot(person, categories=row.data["categories"] or [], departments=departments)
        snapshot = {k: v for k, v in snapshot.items() if v}
        history.append((person.pk, by_id, now, audit.diff({}, snapshot), gettext_noop("批量导入新建")))
    update_fields = [*base, "department", "name_initials", "name_pinyin", "phone_digest", "version", "updated_at"]
    _update_rows(Person, [p for _, p in changed], update_fields)

    pairs = [*zip(new_rows, new_people, strict=True), *changed]
    # Categories: replaced for the rows that name any.
    replace = [p.pk for row, p in pairs if row.data["categories"] is not None and row.existing_id]
    for chunk in _chunks(replace):
        PersonCategory.objects.filter(person_id__in=chunk).delete()
    _insert_rows(
        PersonCategory, ["person", "category"], [(p.pk, c) for row, p in pairs for c in row.data["categories"] or []]
    )
    # Parties: one membership per party, updated in place.
    memberships = {(m.person_id, m.party): m for m in PartyMembership.objects.filter(person__organisation=organisation)}
    new_memberships, changed_memberships = [], []
    for row, p in pairs:
        if not row.data["party"]:
            continue
        membership = memberships.get((p.pk, row.data["party"]))
        if membership is None:
            new_memberships.append((p.pk, row.data["party"], row.data["party_join_month"], row.data["party_post"]))
            continue
        membership.join_month = row.data["party_join_month"] or membership.join_month
        membership.post = row.data["party_post"] or membership.post
        changed_memberships.append(membership)
    _insert_rows(PartyMembership, ["person", "party", "join_month", "post"], new_memberships)
    _update_rows(PartyMembership, changed_memberships, ["join_month", "post"])
    # Posts: added when the person does not hold one with the same title.
    titles = set(PublicPost.objects.filter(person__organisation=organisation).values_list("person_id", "title"))
    _insert_rows(
        PublicPost,
        ["person", "kind", "level", "term", "title"],
        [
            (p.pk, post["kind"], post["level"], post["term"], post["title"])
            for row, p in pairs
            for post in row.data["posts"]
            if (p.pk, post["title"]) not in titles
        ],
    )
    # Study abroad: the same country and institution is updated, anything else added.
    studies = {
        (s.person_id, s.country_region, s.institution): s
        for s in StudyAbroad.objects.filter(person__organisation=organisation)
    }
    new_studies, changed_studies = [], []
    for row, p in pairs:
        study = row.data["study"]
        if not study:
            continue
        record = studies.get((p.pk, study["country_region"], study["institution"]))
        if record is None:
            new_studies.append((p.pk, *(study[f] for f in STUDY_FIELDS)))
            continue
        for key, value in study.items():
            if value:
                setattr(record, key, value)
        changed_studies.append(record)
    _insert_rows(StudyAbroad, ["person", *STUDY_FIELDS], new_studies)
    _update_rows(StudyAbroad, changed_studies, ["degree", "start_month", "end_month", "return_month"])
    _insert_rows(PersonChange, ["person", "user", "at", "changes", "note"], history)

    result = {"created": len(new_people), "updated": len(changed)}
    audit.record(
        "import",
        user=by,
        username="" if by else "命令行",
        organisation=organisation,
        object_type="people.person",
        request=request,
        changes={"file": source, "rows": len(checked.rows)} | result,
    )
    return result


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
    audit.record(
        "export",
        user=by,
        username="" if by else "命令行",
        organisation=organisation,
        object_type="people.person",
        request=request,
        changes=changes,
    )


@db_task()
def import_people_task(job_id: str, organisation_id: int, user_id: int, token: str, source: str) -> None:
    """The huey task of `start_import`: runs `run_import` for one kept upload."""
    organisation = Organisation.objects.get(pk=organisation_id)
    user = get_user_model().objects.get(pk=user_id)
    run_import(job_id, organisation=organisation, by=user, token=token, source=source)
