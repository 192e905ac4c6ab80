"""The shared export writers. An exporter is a generator of rows, header first.

Spreadsheets neutralise formulas: a cell starting with = + - @ (or a tab or carriage return)
is written with a leading apostrophe so Excel shows it as text."""

import io
import re
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CJK_FONT = "宋体"
HEAD_FONT = "黑体"


# Excel refuses these in sheet names; openpyxl raises ValueError on them.
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/:\[\]?*]")


def safe_cell(value):
    """A value that a spreadsheet will never run as a formula and that openpyxl can write
    (control characters other than tab, newline and carriage return are dropped)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def sheet_name(title: str) -> str:
    """A valid sheet name for any title: `/ : [ ] ? * \\` become underscores, control characters
    go, at most 31 characters, never empty, never starting or ending with an apostrophe (Excel's
    rules)."""
    name = ILLEGAL_CHARACTERS_RE.sub("", title or "")
    name = SHEET_NAME_FORBIDDEN.sub("_", name).replace("\n", " ").replace("\r", " ").replace("\t", " ")
    name = name.strip().strip("'").strip()[:31].strip().strip("'")
    return name or "Sheet1"


def _cell_text(value) -> str:
    """Text for a Word cell (control characters dropped: XML cannot hold them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def write_xlsx(
    rows: Iterable[list],
    *,
    title: str,
    watermark: str = "",
    widths: list[int] | None = None,
    landscape: bool = True,
    output=None,
) -> bytes | None:
    """Writes `rows` (header first) to one sheet: a title line, an optional watermark line
    (who exported, when), the header in bold, thin borders, Chinese fonts, A4 print setup.

    Streamed (openpyxl's write-only mode, rows written as they come) with two shared named styles,
    one for the header and one for the body, so 60,000 rows take seconds, not minutes. Returns the
    bytes, or writes to `output` (a binary file) and returns None."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows = iter(rows)
    header = list(next(rows))
    width = len(header)
    head_style = NamedStyle(
        name="tongxin-head",
        font=Font(name=HEAD_FONT, bold=True),
        fill=PatternFill("solid", fgColor="EFEFEF"),
        border=border,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    body_style = NamedStyle(
        name="tongxin-body",
        font=Font(name=CJK_FONT, size=10),
        border=border,
        alignment=Alignment(vertical="top", wrap_text=True),
    )
    workbook.add_named_style(head_style)
    workbook.add_named_style(body_style)

    # Write-only sheets take their layout before the first row.
    header_row = 3 if watermark else 2
    for index, w in enumerate(widths or [16] * width, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = w
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    last = get_column_letter(max(width, 1))

    title_cell = WriteOnlyCell(sheet, safe_cell(title))
    title_cell.font = Font(name=HEAD_FONT, size=14, bold=True)
    title_cell.alignment = Alignment(horizontal="center")
    sheet.append([title_cell])
    sheet.merged_cells.add(CellRange(f"A1:{last}1"))
    if watermark:
        mark = WriteOnlyCell(sheet, safe_cell(watermark))
        mark.font = Font(name=CJK_FONT, size=9, color="777777")
        sheet.append([mark])
        sheet.merged_cells.add(CellRange(f"A2:{last}2"))
    head_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, safe_cell(value))
        cell.style = "tongxin-head"
        head_cells.append(cell)
    sheet.append(head_cells)

    # One styled cell per column, reused: the write-only sheet writes each row as it is appended.
    body = []
    for _column in range(width):
        cell = WriteOnlyCell(sheet)
        cell.style = "tongxin-body"
        body.append(cell)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index >= len(body):
                cell = WriteOnlyCell(sheet)
                cell.style = "tongxin-body"
                body.append(cell)
            cell = body[index]
            if isinstance(value, date | datetime):
                value = _cell_text(value)
            cell.value = safe_cell(value)
            cells.append(cell)
        sheet.append(cells)
    if output is not None:
        workbook.save(output)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_docx_table(
    rows: Iterable[list],
    *,
    title: str,
    subtitle: str = "",
    widths_cm: list[float] | None = None,
    landscape: bool = True,
) -> bytes:
    """Writes `rows` (header first) as a Word table under a title, in Chinese fonts on A4."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))

    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_cell_text(title))
    run.font.size = Pt(16)
    run.font.bold = True
    run.font.name = "黑体"
    run.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    if subtitle:
        sub = document.add_paragraph(_cell_text(subtitle))
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    rows = list(rows)
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = _cell_text(value)
            if index == 0:
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    for r in paragraph.runs:
                        r.font.bold = True
    # Repeat the header row on every page.
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    from docx.oxml import OxmlElement

    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    if widths_cm:
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(w)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
