"""Registry exports: generators of rows, header first, written by core.exports.write_xlsx.
Contact data is masked unless the caller asks for it unmasked (UFD staff with a stated purpose)."""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from huey.contrib.djhuey import db_task

from core import jobs
from core.exports import write_xlsx
from core.models import BackgroundJob
from people.forms import PersonFilterForm
from people.imports import HEADERS, template_rows
from people.models import (
    Category,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    PublicPost,
    StudyAbroad,
    mask_email,
    mask_phone,
    source_text,
)
from people.services import watermark

log = logging.getLogger(__name__)


def _month(value) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""


def _contact(person, unmasked: bool) -> tuple[str, str]:
    if unmasked:
        return person.phone, person.email
    return person.masked_phone, person.masked_email


def register_rows(people, *, unmasked: bool = False):
    """The registry, in the import template's columns after 序号 (several study-abroad
    records joined by ；)."""
    yield ["序号", *HEADERS]
    for number, p in enumerate(people, start=1):
        parties = list(p.party_memberships.all())
        studies = list(p.study_records.all())
        phone, email = _contact(p, unmasked)
        yield [
            number,
            p.name,
            source_text(p.get_gender_display()),
            _month(p.birth_month),
            p.staff_number,
            str(p.department or ""),
            p.job_title,
            p.professional_title,
            p.education,
            "、".join(source_text(label) for label in p.category_labels),
            "、".join(source_text(m.get_party_display()) for m in parties),
            "、".join(_month(m.join_month) for m in parties if m.join_month),
            "、".join(m.post for m in parties if m.post),
            "、".join(str(post) for post in p.public_posts.all()),
            "；".join(s.country_region for s in studies),
            "；".join(s.institution for s in studies),
            "；".join(s.degree for s in studies),
            "；".join(s.period for s in studies),
            "；".join(_month(s.return_month) for s in studies),
            phone,
            email,
        ]


PERSON_COLUMNS = [
    "pk",
    "name",
    "gender",
    "birth_month",
    "staff_number",
    "department__name",
    "job_title",
    "professional_title",
    "education",
]


def _grouped(pairs) -> dict:
    grouped: dict = {}
    for person_id, value in pairs:
        grouped.setdefault(person_id, []).append(value)
    return grouped


def registry_rows(queryset, *, unmasked: bool = False, progress=None, every: int = 1000):
    """`register_rows` for a whole queryset in six queries whatever its size: the people as tuples
    (`values_list`, no model instances), then each kind of linked record for all of them at once.
    Phone and e-mail are decrypted and masked unless `unmasked`. `progress(done)` is called every
    `every` rows (the background export's progress bar)."""
    ids = queryset.values("pk")
    genders = {code: source_text(label) for code, label in Person.Gender.choices}
    categories_by_code = {code: source_text(label) for code, label in Category.choices}
    parties_by_code = {code: source_text(label) for code, label in Party.choices}
    categories = _grouped(
        PersonCategory.objects.filter(person__in=ids).order_by("category").values_list("person_id", "category")
    )
    parties = _grouped(
        (m[0], m[1:])
        for m in PartyMembership.objects.filter(person__in=ids)
        .order_by("join_month", "id")
        .values_list("person_id", "party", "join_month", "post")
    )
    posts = _grouped(
        (post.person_id, str(post))
        for post in PublicPost.objects.filter(person__in=ids).only("person_id", "kind", "level", "term", "title")
    )
    studies = _grouped(
        (s.person_id, s)
        for s in StudyAbroad.objects.filter(person__in=ids).only(
            "person_id", "country_region", "institution", "degree", "start_month", "end_month", "return_month"
        )
    )
    masked_phone, masked_email = (None, None) if unmasked else (mask_phone, mask_email)
    yield ["序号", *HEADERS]
    rows = queryset.values_list(*PERSON_COLUMNS, "phone", "email")
    for number, (pk, name, gender, birth, staff, department, job, title, education, phone, email) in enumerate(
        rows.iterator(chunk_size=2000), start=1
    ):
        memberships = parties.get(pk, ())
        records = studies.get(pk, ())
        yield [
            number,
            name,
            genders.get(gender, gender),
            _month(birth),
            staff,
            department or "",
            job,
            title,
            education,
            "、".join(categories_by_code[c] for c in categories.get(pk, ()) if c in categories_by_code),
            "、".join(parties_by_code.get(party, party) for party, _join, _post in memberships),
            "、".join(_month(join) for _party, join, _post in memberships if join),
            "、".join(post for _party, _join, post in memberships if post),
            "、".join(posts.get(pk, ())),
            "；".join(s.country_region for s in records),
            "；".join(s.institution for s in records),
            "；".join(s.degree for s in records),
            "；".join(s.period for s in records),
            "；".join(_month(s.return_month) for s in records),
            phone if unmasked else masked_phone(phone),
            email if unmasked else masked_email(email),
        ]
        if progress is not None and number % every == 0:
            progress(number)


RETURNED_HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "所在部门",
    "职务/职称",
    "留学国家(地区)",
    "留学院校",
    "学位",
    "留学起止时间",
    "回国时间",
    "联系电话",
]


def returned_rows(people, *, unmasked: bool = False):
    """留学回国人员明细清单: one line per study-abroad record (a person in the category with no
    record yet gets one line with the study columns empty)."""
    yield RETURNED_HEADER
    number = 0
    for p in people:
        phone = p.phone if unmasked else p.masked_phone
        for study in list(p.study_records.all()) or [None]:
            number += 1
            yield [
                number,
                p.name,
                source_text(p.get_gender_display()),
                _month(p.birth_month),
                str(p.department or ""),
                p.title_line,
                study.country_region if study else "",
                study.institution if study else "",
                study.degree if study else "",
                study.period if study else "",
                _month(study.return_month) if study else "",
                phone,
            ]


TEMPLATE_ROWS = 2000  # rows of the template sheet that carry the drop-down lists


def template_choices() -> dict[str, list[str]]:
    """The drop-down lists of the import template, by column: exactly what the import accepts."""
    return {
        "性别": ["男", "女"],
        "民主党派": [source_text(label) for _code, label in Party.choices],
        "统战对象类别": [source_text(label) for _code, label in Category.choices],
    }


def _add_drop_downs(workbook, sheet) -> None:
    """Excel data validation on 性别, 民主党派 and 统战对象类别 (rows 2…2000), listing the values the
    import accepts from a hidden sheet “选项”. 统战对象类别 may hold several values separated by “、”,
    so its list only offers single values and does not refuse typed combinations."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    options = workbook.create_sheet("选项")
    options.sheet_state = "hidden"
    for index, (header, values) in enumerate(template_choices().items(), start=1):
        letter = get_column_letter(index)
        options.cell(row=1, column=index, value=header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=index, value=value)
        several = header == "统战对象类别"
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=not several,
            errorTitle=header,
            error=f"请从下拉列表中选择{header}",
            promptTitle=header,
            prompt="可从列表选择；多个类别用“、”分隔" if several else "请从下拉列表中选择",
            showInputMessage=True,
        )
        column = get_column_letter(HEADERS.index(header) + 1)
        validation.add(f"{column}2:{column}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def import_template() -> bytes:
    """The import template: the header in row 1 of the first sheet, notes on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统战对象"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(name="黑体", bold=True)
        cell.fill = PatternFill("solid", fgColor="EFEFEF")
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 14
    sheet.freeze_panes = "A2"
    _add_drop_downs(workbook, sheet)
    notes = workbook.create_sheet("填写说明")
    for line in [
        ["填写说明（本页不会被导入）"],
        ["1. 从第2行起每行一人；第1行表头请勿修改。工号相同的人员将被更新，空白单元格不会覆盖原有信息。"],
        ["2. 出生年月、入党派时间、回国时间可写 1980-05、1980.05、1980/5、1980年5月，或 Excel 日期。"],
        ["3. 留学起止时间写成 2008.09-2012.07；统战对象类别、人大政协职务可填多个，用“、”分隔。"],
        ["4. 所在部门须为部门管理中已有的名称、简称或别名。"],
        ["5. 本系统不收集宗教信仰、民族和身份证件号码，请勿添加此类列，否则整个文件将被拒绝。"],
        ["6. 任何一行有误时不会导入任何数据，系统会列出每个问题所在的行和列。"],
        [],
        ["示例："],
        *template_rows(),
    ]:
        notes.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The registry export in the background --------------------------------------------------------
# A selection larger than BACKGROUND_ROWS is written by a huey task with a progress bar (core.jobs)
# into MEDIA_ROOT/exports/<job id>.xlsx; its page links to `people:export-download`, which checks the
# user, the organisation and the role, and audits every download as an export. Kept files are
# deleted with the kept uploads (core.jobs.purge_uploads, after TONGXIN_UPLOAD_RETENTION_HOURS).

BACKGROUND_ROWS = 2000
EXPORT_TASK = "people.export"
REGISTER_TITLE = "统战对象名册"


def export_dir():
    return Path(settings.MEDIA_ROOT) / "exports"


def export_path(job):
    return export_dir() / f"{job.pk}.xlsx"


def start_registry_export(organisation, *, by, criteria: dict, unmasked: bool, purpose: str, rows: int):
    """Creates the job and enqueues the export after commit; the page polls the job."""
    job = jobs.create_job(
        "导出统战对象名册",
        user=by,
        organisation=organisation,
        total=rows,
        task=EXPORT_TASK,
        params={"criteria": criteria, "unmasked": unmasked, "purpose": purpose if unmasked else ""},
    )
    transaction.on_commit(lambda: registry_export_task(str(job.pk)))
    return job


@jobs.restartable(EXPORT_TASK)
def _restart_export(job, by):
    params = job.params
    return start_registry_export(
        job.organisation,
        by=by,
        criteria=params.get("criteria", {}),
        unmasked=params.get("unmasked", False),
        purpose=params.get("purpose", ""),
        rows=job.total,
    )


def run_registry_export(job) -> None:
    """The job's work: the same filter as the list, every row written to the kept file."""
    form = PersonFilterForm(job.params.get("criteria") or None, organisation=job.organisation)
    queryset = form.filter(Person.objects.for_org(job.organisation))
    total = queryset.count()
    jobs.report_progress(job.pk, 0, total)
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = export_path(job)
    partial = path.with_suffix(".part")
    try:
        with partial.open("wb") as output:
            write_xlsx(
                registry_rows(
                    queryset,
                    unmasked=job.params.get("unmasked", False),
                    progress=lambda done: jobs.report_progress(job.pk, done),
                ),
                title=REGISTER_TITLE,
                watermark=watermark(job.user),
                output=output,
            )
        partial.replace(path)
    except Exception:
        log.exception("registry export %s failed", job.pk)
        partial.unlink(missing_ok=True)
        jobs.fail_job(job.pk, "导出失败，请重新开始。")
        return
    jobs.finish_job(
        job.pk,
        result={
            "url": reverse("people:export-download", args=[job.pk]),
            "label": "下载名册",
            "rows": total,
            "filter": str(form.describe()),
        },
        message=f"已导出 {total} 人。",
    )


@db_task()
def registry_export_task(job_id: str) -> None:
    """The huey task of `start_registry_export`."""
    job = BackgroundJob.objects.select_related("organisation", "user").filter(pk=job_id).first()
    if job is not None:
        run_registry_export(job)
