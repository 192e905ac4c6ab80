"""The shared export writers. An exporter is a generator of rows, header first.

Spreadsheets neutralise formulas: a cell starting with = + - @ (or a tab or carriage return)
is written with a leading apostrophe so Excel shows it as text."""

import io
import re
from collections.abc import Iterable
from datetime import date, datetime

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CJK_FONT = "宋体"
HEAD_FONT = "黑体"


# Characters XML cannot hold (control characters other than tab, newline and carriage return,
# U+FFFE, U+FFFF and lone surrogates): dropped from every cell, title and sheet name.
ILLEGAL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

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
    name = name.strip().strip("'").strip()[:31]
    while len(name.encode("utf-16-le")) > 62:  # Excel counts UTF-16 units: 𐀀 takes two
        name = name[:-1]
    name = name.strip().strip("'")
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

    Streamed with XlsxWriter (`constant_memory`: each row goes to disk as it is written) with four
    shared cell formats — title, watermark, header, body — never a style per cell: 60,000 rows take
    seconds, where openpyxl took over a minute. Strings are written as strings (never as formulas
    or links) and still neutralised by `safe_cell`. Returns the bytes, or writes to `output` (a
    binary file) and returns None."""
    buffer = io.BytesIO() if output is None else output
    workbook = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    sheet = workbook.add_worksheet(sheet_name(title))
    border = {"border": 1, "border_color": "#999999"}
    title_format = workbook.add_format({"font_name": HEAD_FONT, "font_size": 14, "bold": True, "align": "center"})
    mark_format = workbook.add_format({"font_name": CJK_FONT, "font_size": 9, "font_color": "#777777"})
    head_format = workbook.add_format(
        {
            "font_name": HEAD_FONT,
            "bold": True,
            "bg_color": "#EFEFEF",
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            **border,
        }
    )
    body_format = workbook.add_format(
        {"font_name": CJK_FONT, "font_size": 10, "valign": "top", "text_wrap": True, **border}
    )
    rows = iter(rows)
    header = list(next(rows))
    width = max(len(header), 1)
    for index, w in enumerate(widths or [16] * len(header)):
        sheet.set_column(index, index, w)
    header_row = 2 if watermark else 1  # 0-based
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)

    def line(row: int, text: str, cell_format) -> None:
        if width > 1:
            sheet.merge_range(row, 0, row, width - 1, safe_cell(text), cell_format)
        else:
            sheet.write_string(row, 0, safe_cell(text), cell_format)

    line(0, title, title_format)
    if watermark:
        line(1, watermark, mark_format)
    for column, value in enumerate(header):
        _write(sheet, header_row, column, value, head_format)
    for row_index, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row):
            _write(sheet, row_index, column, value, body_format)
    workbook.close()
    return buffer.getvalue() if output is None else None


def _write(sheet, row: int, column: int, value, cell_format) -> None:
    if isinstance(value, str):
        if value:
            sheet.write_string(row, column, safe_cell(value), cell_format)
        else:
            sheet.write_blank(row, column, None, cell_format)
    elif value is None:
        sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, cell_format)
    elif isinstance(value, date | datetime):
        sheet.write_string(row, column, _cell_text(value), cell_format)
    else:
        sheet.write_string(row, column, safe_cell(str(value)), cell_format)


def a4_document(*, font: str, size_pt: float, margins_cm: tuple[float, float, float, float], landscape: bool = False):
    """A new Word document of one A4 section (landscape when asked) with margins top, bottom,
    left, right in cm, its Normal style in `font` (Chinese text too) at `size_pt`."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    top, bottom, left, right = (Cm(m) for m in margins_cm)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = top, bottom, left, right
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    return document


def write_docx_table(
    rows: Iterable[list],
    *,
    title: str,
    subtitle: str = "",
    widths_cm: list[float] | None = None,
    landscape: bool = True,
) -> bytes:
    """Writes `rows` (header first) as a Word table under a title, in Chinese fonts on A4."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = a4_document(font="宋体", size_pt=10.5, margins_cm=(2, 2, 2, 2), landscape=landscape)

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
