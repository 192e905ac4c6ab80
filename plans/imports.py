"""Plan import: upload or paste → parse in the background → review → confirm.

The parser (plans.parsing) is pure Python; this module keeps the upload, runs the parse for a
job, and turns a reviewed parse into `services.save_parsed_plan` arguments."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from core import audit, jobs
from core.bounded import LimitExceeded, run_bounded
from orgs import services as org_services
from orgs.models import Department, DepartmentAlias
from plans import services
from plans.models import PlanImport
from plans.parsing import ParseError, edits, parse_plan, resolve_departments

UPLOAD_DIR = "plan-imports"
log = logging.getLogger(__name__)


def all_department_names(parsed: dict) -> list[str]:
    names: list[str] = []

    def walk(node):
        names.extend(node["departments"]["lead"])
        names.extend(node["departments"]["support"])
        for child in node.get("children", []):
            walk(child)

    for section in parsed.get("sections", []):
        walk(section)
    return list(dict.fromkeys(names))


def resolve_names(organisation, names: list[str]) -> dict[str, Department | None]:
    """Each name as written → its Department (by name, short name or alias), or None."""
    lookup = org_services.department_lookup(organisation)
    resolution = resolve_departments(names, lookup.spec())
    return {name: lookup.get(resolution.resolved.get(name, "")) for name in names}


def start_import(organisation, *, by, data: bytes, filename: str, year: int | None) -> PlanImport:
    """Keeps the upload and queues the parse (after commit). Returns the import record."""
    job = jobs.create_job("解析工作要点", user=by, organisation=organisation, total=1, task="plans.parse")
    record = PlanImport.objects.create(
        organisation=organisation, created_by=by, job=job, source_name=filename[:200], year=year
    )
    job.params = {"import_id": record.pk}
    job.save(update_fields=["params"])
    path = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{record.pk}.upload"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    transaction.on_commit(lambda: parse_plan_import(record.pk))
    return record


def _parse_to_dict(data: bytes, filename: str | None) -> dict:
    """The parse as the review page keeps it: the JSON contract, with each warning that concerns
    one node kept on that node (so that it moves with the node when the reviewer merges or moves)."""
    plan = parse_plan(data, filename=filename)
    parsed = plan.to_dict()
    for warning in plan.node_warnings:
        edits.node_at(parsed, warning["key"]).setdefault("warnings", []).append(warning["message"])
    return parsed


def parse_bounded(data: bytes, *, filename: str | None = None) -> dict:
    """`parse_plan(...).to_dict()` in a child process under the memory ceiling and time limit of
    `core.bounded`: a PDF with a 512 MB deflate stream or a junk "%PDF-" file fails alone with a
    one-line Chinese message (a ParseError), and the worker keeps its memory."""
    try:
        return run_bounded(_parse_to_dict, data, filename)
    except LimitExceeded as error:
        raise ParseError(error.message) from error


@jobs.restartable("plans.parse")
def _restart_parse(job, by):
    """A killed parse again, from the kept upload (deleted once parsed or after 24 hours)."""
    record = PlanImport.objects.filter(pk=job.params.get("import_id"), job=job).first()
    if record is None or not upload_path(record).exists():
        raise jobs.JobError(_("上传的文件已删除（已解析或超过保留时间），请重新上传。"))
    new = jobs.create_job(
        "解析工作要点", user=by, organisation=job.organisation, total=1, task="plans.parse", params=job.params
    )
    record.job = new
    record.save(update_fields=["job"])
    transaction.on_commit(lambda: parse_plan_import(record.pk))
    return new


def upload_path(record: PlanImport) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{record.pk}.upload"


def run_parse(record: PlanImport) -> None:
    """Parses the kept upload. On success the parse waits for review; on failure the job shows
    the parser's message and nothing is kept."""
    path = upload_path(record)
    jobs.report_progress(record.job_id, 0, total=1, message="正在解析文档…")
    try:
        parsed = parse_bounded(path.read_bytes(), filename=record.source_name)
    except ParseError as error:
        path.unlink(missing_ok=True)
        record.error = error.message
        record.save(update_fields=["error"])
        jobs.fail_job(record.job_id, error.message)
        return
    finally:
        path.unlink(missing_ok=True)
    record.parsed = parsed
    if record.year is None:
        record.year = parsed.get("year")
    record.save(update_fields=["parsed", "year"])
    items = sum(1 for _ in _walk_items(record.parsed))
    jobs.finish_job(
        record.job_id,
        result={"url": reverse("plans:import-review", args=[record.pk]), "label": "审核解析结果", "redirect": True},
        message=f"识别出 {len(record.parsed['sections'])} 个部分、{items} 项任务。",
    )


def _walk_items(parsed: dict):
    def walk(node, depth):
        if depth:
            yield node
        for child in node.get("children", []):
            yield from walk(child, depth + 1)

    for section in parsed.get("sections", []):
        yield from walk(section, 0)


@transaction.atomic
def apply_department_choices(organisation, choices: dict[str, tuple[str, Department | None, str]], *, by) -> dict:
    """For each unresolved name: ("map", department) uses it, ("alias", department) also saves
    the name as an alias, ("create", None, new name) creates a department, ("ignore", …) drops it.
    Returns name → Department | None."""
    result = {}
    for name, (action, department, new_name) in choices.items():
        if action == "alias" and department is not None:
            DepartmentAlias.objects.get_or_create(department=department, name=name)
            result[name] = department
        elif action == "create":
            existing = Department.objects.for_org(organisation).filter(name=new_name or name).first()
            result[name] = existing or org_services.create_department(organisation, by=by, name=new_name or name)
        elif action == "map":
            result[name] = department
        else:
            result[name] = None
    return result


class UnresolvedDepartments(Exception):
    def __init__(self, names: list[str]):
        super().__init__("、".join(names))
        self.names = names


def import_without_review(
    organisation,
    *,
    data: bytes,
    filename: str,
    year: int | None = None,
    by=None,
    create_departments: bool = False,
    publish: bool = False,
):
    """Parse and save in one go (the command and the demo). Unknown department names raise
    UnresolvedDepartments unless `create_departments`. Raises ParseError for bad input."""
    parsed = parse_bounded(data, filename=filename)
    year = year or parsed.get("year")
    if not year:
        raise ParseError("无法从文档识别年度，请用 --year 指定。")
    names = all_department_names(parsed)
    department_map = resolve_names(organisation, names)
    unknown = [n for n, d in department_map.items() if d is None]
    with transaction.atomic():
        if unknown:
            if not create_departments:
                raise UnresolvedDepartments(unknown)
            department_map |= apply_department_choices(organisation, {n: ("create", None, n) for n in unknown}, by=by)
        plan = services.save_parsed_plan(
            organisation, parsed, by=by, year=year, source_name=filename, department_map=department_map
        )
        if publish:
            services.publish_plan(plan, by=by)
    return plan


def pending_imports(organisation):
    """Imports nobody has confirmed yet (parsing, parsed and waiting for review, or failed)."""
    return PlanImport.objects.filter(organisation=organisation, plan__isnull=True).select_related("created_by")


@transaction.atomic
def discard_import(record: PlanImport, *, by, request=None) -> None:
    """Drops an unconfirmed import (its parse and any kept upload). Audits."""
    if record.plan_id:
        raise ValueError("a confirmed import cannot be discarded")
    upload_path(record).unlink(missing_ok=True)
    audit.log("delete", record, by=by, request=request)
    record.delete()


EditError = edits.EditError


def edit_parse(record: PlanImport, rows: list[dict], department_names: dict[int, str], *, op, key, at, section) -> str:
    """Keeps the reviewer's field edits of the page in the parse, then merges, splits or moves the
    item `key` (see plans.parsing.edits). Saves the parse; returns the key of the item afterwards."""
    parsed = record.parsed
    for row in rows:
        form = row["form"]
        if not form.is_valid():
            continue
        node = edits.node_at(parsed, row["key"])
        data = form.cleaned_data
        node.update(marker=data["marker"], title=data["title"], text=data["text"])
        if not form.is_section:
            node["targets"] = data["targets"]
            lead = department_names.get(data["lead"])
            support = [department_names[i] for i in data["support"] if i in department_names]
            if lead or support:
                node["departments"] = {"lead": [lead] if lead else [], "support": support}
    if op == "merge":
        key = edits.merge_into_previous(parsed, key)
    elif op == "split":
        key = edits.split(parsed, key, at)
    else:
        key = edits.move_to_section(parsed, key, section)
    record.parsed = parsed
    record.save(update_fields=["parsed"])
    return key


@db_task()
def parse_plan_import(import_id: int) -> None:
    """The huey task of `start_import`: parses one kept upload (`run_parse`); an unexpected error
    fails the job with a one-line message and is logged."""
    record = PlanImport.objects.filter(pk=import_id).first()
    if record is None:
        return
    try:
        run_parse(record)
    except Exception:
        log.exception("plan import %s failed", import_id)
        jobs.fail_job(record.job_id, "解析时发生意外错误，已记录。请检查文档或联系系统管理员。")
        raise
