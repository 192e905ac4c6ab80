"""The registry import (.xlsx): upload → check every row → preview → a background job saves it all
or nothing.

Reading and checking (`read_sheet`, `check_rows`) touch no database: the caller passes the
organisation's departments and existing staff numbers, and gets every problem back with its row and
column. Saving (`import_people`) writes thousands of rows in a few executemany statements; the job
(`start_import` → `import_people_task` → `run_import`) sits at the end of this module."""

import logging
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from huey.contrib.djhuey import db_task
from lxml import etree

from core import audit, jobs
from core.bounded import LimitExceeded, run_bounded
from core.figures_cache import writing_for
from core.models import BackgroundJob
from orgs.models import Department, Organisation
from orgs.services import department_lookup
from people.models import (
    Category,
    Party,
    PartyMembership,
    Person,
    PersonCategory,
    PersonChange,
    PublicPost,
    StudyAbroad,
    source_text,
)
from people.services import MASKED, mask_value, set_name_keys

log = logging.getLogger(__name__)

HEADERS = [
    "姓名",
    "性别",
    "出生年月",
    "工号",
    "所在部门",
    "职务",
    "职称",
    "学历",
    "统战对象类别",
    "民主党派",
    "入党派时间",
    "党派职务",
    "人大政协职务",
    "留学国家(地区)",
    "留学院校",
    "学位",
    "留学起止时间",
    "回国时间",
    "手机",
    "邮箱",
]
# Other spellings office sheets use for the same columns.
ALIASES = {
    "出生日期": "出生年月",
    "部门": "所在部门",
    "单位": "所在部门",
    "手机号": "手机",
    "手机号码": "手机",
    "联系电话": "手机",
    "电子邮箱": "邮箱",
    "类别": "统战对象类别",
    "党派": "民主党派",
    "留学国家": "留学国家(地区)",
    "留学国别": "留学国家(地区)",
    "留学时间": "留学起止时间",
}
IGNORED = {"序号"}
# Never collected (个人信息保护法 and PRODUCT.md): a column like these refuses the whole file.
FORBIDDEN = re.compile(r"宗教|信仰|信教|民族|族别|身份证|证件|religio|faith|ethnic|id\s*card|identity", re.IGNORECASE)

PARTY_NAMES = {
    "中国国民党革命委员会": Party.MINGE,
    "中国民主同盟": Party.MINMENG,
    "中国民主建国会": Party.MINJIAN,
    "中国民主促进会": Party.MINJIN,
    "中国农工民主党": Party.NONGGONG,
    "农工民主党": Party.NONGGONG,
    "中国致公党": Party.ZHIGONG,
    "台湾民主自治同盟": Party.TAIMENG,
} | {source_text(label): Party(code) for code, label in Party.choices}
CATEGORY_NAMES = {source_text(label): Category(code) for code, label in Category.choices}
LEVELS = [
    ("全国", PublicPost.Level.NATIONAL),
    ("省", PublicPost.Level.PROVINCE),
    ("市", PublicPost.Level.CITY),
    ("区", PublicPost.Level.DISTRICT),
    ("县", PublicPost.Level.DISTRICT),
]
LIMITS = {"姓名": 50, "工号": 32, "职务": 100, "职称": 100, "学历": 50, "党派职务": 100, "留学国家(地区)": 50}
LIMITS |= {"留学院校": 200, "学位": 50}

MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-./年]\s*(\d{1,2})\s*月?|(\d{2}))$")
MONTH_IN_PERIOD = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?")
PERIOD_SEPARATOR = re.compile(r"\s*(?:—|–|-|~|～|至|到)+\s*")
PHONE = re.compile(r"^[0-9+\- ]{5,20}$")
SPLIT = re.compile(r"[、,，;；/\s]+")
TERM = re.compile(r"第[一二三四五六七八九十百零〇\d]+届")


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行【{self.column}】{self.message}"


@dataclass
class Row:
    number: int
    data: dict
    existing_id: int | None = None


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is None)

    @property
    def updated_count(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is not None)


def normalise(text) -> str:
    """Header and name comparison: no spaces, half-width brackets."""
    return "".join(str(text or "").split()).replace("（", "(").replace("）", ")")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_month(value) -> date | None:
    """A year-month from an Excel date cell or 1980-05, 1980.05, 1980/5, 1980年5月, 198005.
    Raises ValueError with a Chinese message."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    if isinstance(value, float):
        # A number cell typed as 1980.05 (or 1980.1 for October).
        value = f"{value:.2f}"
    text = str(value).strip()
    if not text:
        return None
    match = MONTH_TEXT.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2) or match.group(3))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    raise ValueError(_("无法识别的年月“%(text)s”，请写成 1980-05、1980.05 或 1980年5月") % {"text": text})


def parse_period(value) -> tuple[date | None, date | None]:
    """2008.09-2012.07 (also with —, ～, 至, or 年月) -> (start, end)."""
    text = cell_text(value)
    if not text:
        return None, None
    months = MONTH_IN_PERIOD.findall(text)
    rest = PERIOD_SEPARATOR.sub("", MONTH_IN_PERIOD.sub("", text))
    if len(months) == 2 and not rest:
        start, end = (parse_month(f"{y}-{m}") for y, m in months)
        if end < start:
            raise ValueError(_("留学起止时间“%(text)s”的结束早于开始") % {"text": text})
        return start, end
    if len(months) == 1 and rest in {"今", "至今", "现在"}:
        return parse_month("-".join(months[0])), None
    raise ValueError(_("无法识别的起止时间“%(text)s”，请写成 2008.09-2012.07") % {"text": text})


def parse_posts(text: str) -> list[dict]:
    """人大政协职务: '市政协委员、区人大代表（第十届）' -> [{kind, level, term, title}, ...]."""
    posts = []
    for title in re.split(r"[、,，;；]+", text):
        title = title.strip()
        if not title:
            continue
        if "人大" in title:
            kind = PublicPost.Kind.NPC
        elif "政协" in title:
            kind = PublicPost.Kind.CPPCC
        else:
            kind = PublicPost.Kind.OTHER
        level = next((code for prefix, code in LEVELS if title.startswith(prefix)), "")
        term = TERM.search(title)
        posts.append({"kind": kind, "level": level, "term": term.group(0) if term else "", "title": title[:100]})
    return posts


# Limits of a registry workbook (the template has 20 columns; the benchmark imports 10,000 rows).
MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_SHARED_STRINGS = 200_000
MAX_ENTRIES = 1_000
PART_LIMITS = {  # uncompressed bytes of each part read
    "sheet": 64 * 1024 * 1024,
    "xl/sharedStrings.xml": 16 * 1024 * 1024,
    "xl/styles.xml": 4 * 1024 * 1024,
    "xl/workbook.xml": 1024 * 1024,
    "xl/_rels/workbook.xml.rels": 1024 * 1024,
}
DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class ImportFileError(ValueError):
    """The workbook is unsafe or beyond the limits; `message` is one line of Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_sheet(file) -> tuple[list, list[tuple[int, list]]]:
    """`_read_sheet`, with any failure of a damaged workbook as one ImportFileError."""
    try:
        return _read_sheet(file)
    except ImportFileError:
        raise
    except MemoryError:
        raise
    except Exception as error:  # lxml, zipfile, a missing part, a malformed reference or number
        raise ImportFileError(_("无法读取此 Excel 文件，请另存为 .xlsx 后重试。")) from error


def _read_sheet(file) -> tuple[list, list[tuple[int, list]]]:
    """The header row and the non-empty rows (with their row numbers) of the first sheet.

    A streaming reader of the sheet XML (lxml, entities and network off): openpyxl reads
    10,000 rows in about 7 s, this in under 1 s. Date-formatted number cells become datetimes.
    Refuses (ImportFileError) zip bombs, DTDs and entities, more than MAX_COLUMNS columns,
    MAX_ROWS rows or MAX_SHARED_STRINGS shared strings. Callers run it under `core.bounded`
    for the memory and time ceiling."""
    from openpyxl.utils.datetime import from_excel

    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("无法读取此 Excel 文件，请另存为 .xlsx 后重试。")) from error
    with archive:
        if len(archive.infolist()) > MAX_ENTRIES:
            raise ImportFileError(_("Excel 文件内部文件过多（疑似异常文件），已拒绝。"))
        shared = _shared_strings(archive)
        date_styles = _date_styles(archive)
        rows: dict[int, list] = {}
        with _open_part(archive, _first_sheet(archive), "sheet") as sheet:
            for _event, element in etree.iterparse(sheet, events=("end",), tag=ROW, **SAFE):
                number = int(element.get("r") or len(rows) + 1)
                values = []
                for cell in element.iterchildren(CELL):
                    ref = cell.get("r")
                    column = _column_index(ref.rstrip("0123456789")) if ref else len(values)
                    if column >= MAX_COLUMNS:
                        raise ImportFileError(
                            _("第{row}行有第 {column} 列的单元格，超过 {limit} 列的上限；请只保留模板中的列。").format(
                                row=number, column=column + 1, limit=MAX_COLUMNS
                            )
                        )
                    if column > len(values):
                        values.extend([None] * (column - len(values)))
                    values.append(_cell_value(cell, shared, date_styles, from_excel))
                rows[number] = values
                if len(rows) > MAX_ROWS + 1:
                    raise ImportFileError(_("一次最多导入 {limit} 行，请分批导入。").format(limit=MAX_ROWS))
                element.clear()
    header = rows.pop(1, [])
    body = [
        (number, values)
        for number, values in sorted(rows.items())
        if any(v is not None and str(v).strip() for v in values)
    ]
    return header, body


def _open_part(archive, name: str, limit_key: str | None = None):
    """A part of the workbook, refused when it is larger than its limit uncompressed (zipfile
    never reads past the declared size) or declares a DTD or entities."""
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise ImportFileError(_("Excel 文件不完整，请另存为 .xlsx 后重试。")) from error
    if info.file_size > PART_LIMITS[limit_key or name]:
        raise ImportFileError(_("Excel 文件解压后过大（疑似压缩炸弹），已拒绝。"))
    with archive.open(info) as part:
        head = part.read(64 * 1024)
    if DTD.search(head):
        raise ImportFileError(_("Excel 文件含有 DTD/实体声明（可能是恶意文件），已拒绝。"))
    return archive.open(info)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SAFE = {"resolve_entities": False, "no_network": True, "huge_tree": False}
ROW, CELL, VALUE, TEXT = (f"{{{MAIN}}}{tag}" for tag in ("row", "c", "v", "t"))
QUOTED = re.compile(r'\[[^\]]*\]|"[^"]*"')  # [Red], [$-804] and "literal" parts of a number format
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}


def _parse(archive, name):
    with _open_part(archive, name) as part:
        return etree.parse(part, etree.XMLParser(**SAFE, load_dtd=False)).getroot()


def _first_sheet(archive) -> str:
    workbook = _parse(archive, "xl/workbook.xml")
    first = workbook.find(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    rel_id = first.get(f"{{{DOC_RELS}}}id")
    for rel in _parse(archive, "xl/_rels/workbook.xml.rels").iter(f"{{{RELS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError("sheet")


def _shared_strings(archive) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with _open_part(archive, "xl/sharedStrings.xml") as part:
        for _event, si in etree.iterparse(part, events=("end",), tag=f"{{{MAIN}}}si", **SAFE):
            strings.append("".join(t.text or "" for t in si.iter(f"{{{MAIN}}}t")))
            si.clear()
            if len(strings) > MAX_SHARED_STRINGS:
                raise ImportFileError(_("Excel 文件的共享字符串过多（疑似异常文件），已拒绝。"))
    return strings


def _date_styles(archive) -> set[int]:
    """Indexes of the cell styles whose number format is a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = _parse(archive, "xl/styles.xml")
    date_formats = set(DATE_FORMAT_IDS)
    for fmt in root.iter(f"{{{MAIN}}}numFmt"):
        code = QUOTED.sub("", fmt.get("formatCode", "")).lower()
        if any(ch in code for ch in "ymd") or "年" in code or "月" in code:
            date_formats.add(int(fmt.get("numFmtId")))
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.iterchildren(f"{{{MAIN}}}xf")) if int(xf.get("numFmtId", 0)) in date_formats}


@lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    """C -> 2, AA -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1


def _cell_value(cell, shared, date_styles, from_excel):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(TEXT))
    v = cell.find(VALUE)
    text = v.text if v is not None else None
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text == "1"
    number = float(text)
    if int(cell.get("s", 0)) in date_styles:
        return from_excel(number)
    return int(number) if number.is_integer() and "." not in text and "E" not in text.upper() else number


def check_header(header: list) -> tuple[dict[int, str], list[Problem]]:
    """{column index: known header} and the header problems (row 1)."""
    columns, problems, seen = {}, [], set()
    for index, raw in enumerate(header):
        name = normalise(raw)
        if not name:
            continue
        if FORBIDDEN.search(name):
            problems.append(Problem(1, str(raw), _("本系统不收集宗教信仰、民族和身份证件号码，请删除此列后再导入")))
            continue
        known = ALIASES.get(name, name)
        if known in IGNORED:
            continue
        if known not in HEADERS:
            problems.append(Problem(1, str(raw), _("无法识别的表头，请使用导入模板中的列名")))
        elif known in seen:
            problems.append(Problem(1, str(raw), _("表头重复")))
        else:
            columns[index] = known
            seen.add(known)
    if "姓名" not in seen and not any(p.column == "姓名" for p in problems):
        problems.append(Problem(1, "姓名", _("缺少“姓名”列")))
    return columns, problems


def check_rows(
    header: list, rows, *, departments: Callable[[str], int | None], existing: dict[str, int], progress=None
) -> Checked:
    """Checks every row. `departments(name)`: the id of the department a name as written stands for
    (name, short name or alias; `orgs.services.department_lookup`), or None; `existing`: staff
    number -> person id in the organisation. `progress(done)` is called every 200 rows."""
    columns, problems = check_header(header)
    checked = Checked(problems=problems)
    if problems:
        return checked
    first_row_of = {}
    for done, (number, values) in enumerate(rows, start=1):
        cells = {name: values[index] if index < len(values) else None for index, name in columns.items()}
        row = _check_row(number, cells, departments, checked.problems)
        staff_number = row.data.get("staff_number")
        if staff_number:
            if staff_number in first_row_of:
                checked.problems.append(
                    Problem(
                        number,
                        "工号",
                        _("工号“%(number)s”与第%(row)s行重复")
                        % {"number": staff_number, "row": first_row_of[staff_number]},
                    )
                )
            else:
                first_row_of[staff_number] = number
                row.existing_id = existing.get(staff_number)
        checked.rows.append(row)
        if progress and done % 200 == 0:
            progress(done)
    if not checked.rows and not checked.problems:
        checked.problems.append(Problem(2, "姓名", _("表格中没有数据")))
    return checked


def _check_row(number: int, cells: dict, departments: Callable[[str], int | None], problems: list[Problem]) -> Row:
    def add(column, message):
        problems.append(Problem(number, column, message))

    text = {name: cell_text(value) for name, value in cells.items()}
    for column, limit in LIMITS.items():
        if len(text.get(column, "")) > limit:
            add(column, _("超过%(limit)s个字") % {"limit": limit})
    data = {
        "name": text.get("姓名", "")[:50],
        "staff_number": text.get("工号", "")[:32],
        "job_title": text.get("职务", "")[:100],
        "professional_title": text.get("职称", "")[:100],
        "education": text.get("学历", "")[:50],
    }
    if not data["name"]:
        add("姓名", _("姓名不能为空"))

    gender = text.get("性别", "")
    data["gender"] = {"男": "M", "女": "F", "": ""}.get(gender)
    if data["gender"] is None:
        add("性别", _("性别应为“男”或“女”，而不是“%(value)s”") % {"value": gender})

    for column, key in (("出生年月", "birth_month"), ("入党派时间", "party_join_month"), ("回国时间", "return_month")):
        try:
            data[key] = parse_month(cells.get(column))
        except ValueError as error:
            add(column, str(error))
            data[key] = None

    department = text.get("所在部门", "")
    data["department"] = departments(department) if department else None
    if department and data["department"] is None:
        add("所在部门", _("未知部门“%(name)s”，请使用部门管理中的名称、简称或别名") % {"name": department})

    categories = []
    for label in SPLIT.split(text.get("统战对象类别", "")):
        if not label:
            continue
        if label in CATEGORY_NAMES:
            categories.append(CATEGORY_NAMES[label])
        else:
            add(
                "统战对象类别",
                _("未知类别“%(name)s”，可选：%(choices)s") % {"name": label, "choices": "、".join(CATEGORY_NAMES)},
            )

    party_name = normalise(text.get("民主党派", ""))
    data["party"] = PARTY_NAMES.get(party_name) if party_name else None
    if party_name and data["party"] is None:
        choices = "、".join(source_text(label) for _code, label in Party.choices)
        add("民主党派", _("未知党派“%(name)s”，可选：%(choices)s") % {"name": party_name, "choices": choices})
    data["party_post"] = text.get("党派职务", "")[:100]
    if not party_name and (data["party_join_month"] or data["party_post"]):
        add("民主党派", _("填写了入党派时间或党派职务，但未填写民主党派"))
    if data["party"]:
        categories.append(Category.DEMOCRATIC_PARTY)

    data["posts"] = parse_posts(text.get("人大政协职务", ""))

    study = {
        "country_region": text.get("留学国家(地区)", "")[:50],
        "institution": text.get("留学院校", "")[:200],
        "degree": text.get("学位", "")[:50],
        "return_month": data.pop("return_month"),
    }
    try:
        study["start_month"], study["end_month"] = parse_period(cells.get("留学起止时间"))
    except ValueError as error:
        add("留学起止时间", str(error))
        study["start_month"] = study["end_month"] = None
    if study["country_region"]:
        data["study"] = study
        categories.append(Category.RETURNED_SCHOLAR)
    else:
        data["study"] = None
        if any(study[k] for k in ("institution", "degree", "return_month", "start_month", "end_month")):
            add("留学国家(地区)", _("填写了留学信息，但未填写留学国家(地区)"))
    # None: the cell was empty, so an update keeps the person's categories.
    data["categories"] = list(dict.fromkeys(categories)) if categories else None

    phone = text.get("手机", "")
    if phone and not PHONE.match(phone):
        add("手机", _("手机号码“%(value)s”格式不正确") % {"value": phone})
    data["phone"] = phone[:20]
    email = text.get("邮箱", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add("邮箱", _("邮箱“%(value)s”格式不正确") % {"value": email})
    data["email"] = email[:254]
    return Row(number=number, data=data)


def template_rows() -> list[list]:
    """The import template: the header and one example row."""
    example = [
        "张三",
        "男",
        "1980-05",
        "T0001",
        "党委统战部",
        "教研室主任",
        "副教授",
        "博士研究生",
        "留学回国人员、党外知识分子",
        "九三学社",
        "2010.06",
        "支社委员",
        "市政协委员（第十四届）",
        "英国",
        "剑桥大学",
        "博士",
        "2008.09-2012.07",
        "2012.08",
        "13900000000",
        "zhangsan@example.edu.cn",
    ]
    return [HEADERS, example]


# --- Saving an import -----------------------------------------------------------------------------------


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
    departments = department_lookup(organisation)
    return check_rows(
        header,
        rows,
        departments=lambda name: getattr(departments.get(name), "pk", None),
        existing=existing,
        progress=report,
    )


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
    for name in MASKED:
        values[name] = mask_value(name, values[name])
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
    writes one audit event. Returns {"created": n, "updated": m}. Its raw INSERTs and UPDATEs
    send no signal: the organisation's figures version is bumped once (core.figures_cache)."""
    with writing_for(organisation.pk):
        return _import_people(organisation, by=by, checked=checked, source=source, request=request)


def _import_people(organisation, *, by, checked: Checked, source: str = "", request=None) -> dict:
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
            set_name_keys(person)
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
        set_name_keys(person)
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
    audit.log(
        "import",
        by=by,
        organisation=organisation,
        request=request,
        changes={"file": source, "rows": len(checked.rows)} | result,
        username="" if by else "命令行",
        object_type="people.person",
    )
    return result


@db_task()
def import_people_task(job_id: str, organisation_id: int, user_id: int, token: str, source: str) -> None:
    """The huey task of `start_import`: runs `run_import` for one kept upload."""
    organisation = Organisation.objects.get(pk=organisation_id)
    user = get_user_model().objects.get(pk=user_id)
    run_import(job_id, organisation=organisation, by=user, token=token, source=source)
