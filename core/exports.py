"""The shared export writers. An exporter is a generator of rows, header first.

Spreadsheets neutralise formulas: a cell starting with = + - @ (or a tab or carriage return)
is written with a leading apostrophe so Excel shows it as text."""

import io
import re
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

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
) -> bytes:
    """Writes `rows` (header first) to one sheet: a title line, an optional watermark line
    (who exported, when), the header in bold, thin borders, Chinese fonts, A4 print setup."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(title)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows = iter(rows)
    header = next(rows)
    width = len(header)

    sheet.append([safe_cell(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.cell(1, 1).font = Font(name=HEAD_FONT, size=14, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    header_row = 2
    if watermark:
        sheet.append([safe_cell(watermark)])
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))
        sheet.cell(2, 1).font = Font(name=CJK_FONT, size=9, color="777777")
        header_row = 3
    sheet.append([safe_cell(h) for h in header])
    for col in range(1, width + 1):
        cell = sheet.cell(header_row, col)
        cell.font = Font(name=HEAD_FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="EFEFEF")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    body = NamedStyle(
        name="tongxin-body",
        font=Font(name=CJK_FONT, size=10),
        border=border,
        alignment=Alignment(vertical="top", wrap_text=True),
    )
    workbook.add_named_style(body)
    row_index = header_row
    for row in rows:
        row_index += 1
        for column, value in enumerate(row, start=1):
            value = _cell_text(value) if isinstance(value, date | datetime) else value
            sheet.cell(row_index, column, safe_cell(value)).style = "tongxin-body"
    for index, w in enumerate(widths or [16] * width, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = w
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
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
