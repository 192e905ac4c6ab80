"""Build plan documents as users write them: .docx (typed or Word auto-numbering, tables) and .pdf."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Word's usual Chinese outline: 一、 / （一） / 1. / （1）
OUTLINE_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]


def _numbering_xml(abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> tuple[str, str]:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    num = f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    return abstract, num


def build_docx(blocks: list[tuple], *, levels: list[tuple[str, str]] | None = None) -> bytes:
    """Build a .docx from blocks.

    ("p", text) a typed paragraph; ("auto", level, text) a paragraph numbered by Word at a level of
    ``levels`` (default: 一、/（一）/1./（1）); ("table", rows) a table; ("break",) a page break.
    """
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = Document()
    numbering = document.part.numbering_part.element
    abstract, num = _numbering_xml(90, 90, levels or OUTLINE_LEVELS)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(parse_xml(abstract))
    else:
        numbering.append(parse_xml(abstract))
    numbering.append(parse_xml(num))
    for block in blocks:
        if block[0] == "p":
            document.add_paragraph(block[1])
        elif block[0] == "auto":
            paragraph = document.add_paragraph(block[2])
            ppr = paragraph._p.get_or_add_pPr()
            numpr = f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{block[1]}"/><w:numId w:val="90"/></w:numPr>'
            ppr.append(parse_xml(numpr))
        elif block[0] == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        elif block[0] == "break":
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_from_text(text: str) -> bytes:
    """A .docx with one paragraph per line of ``text`` (numbers typed by hand)."""
    return build_docx([("p", line) for line in text.splitlines() if line.strip()])


def build_pdf(paragraphs: list[str], *, width_mm: float = 150, footer: bool = True) -> bytes:
    """A PDF with the CJK font: paragraphs wrap at the page width, first lines indented by two characters."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            if footer:
                self.set_y(-15)
                self.set_font("wqy", size=9)
                self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = _Pdf(format="A4")
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("wqy", size=12)
    for paragraph in paragraphs:
        centered = paragraph.startswith("^")
        text = paragraph.lstrip("^")
        pdf.set_x(pdf.l_margin + (210 - 2 * pdf.l_margin - width_mm) / 2 if not centered else pdf.l_margin)
        if centered:
            pdf.multi_cell(0, 8, text, align="C")
        else:
            pdf.multi_cell(width_mm, 7, "\u3000\u3000" + text, align="L")
    return bytes(pdf.output())


def zip_bytes(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of the given files (for malicious .docx tests)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()
