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


def build_docx(
    blocks: list[tuple],
    *,
    levels: list[tuple[str, str]] | None = None,
    style_levels: dict[str, int] | None = None,
    lists: dict[str, list[tuple[str, str]]] | None = None,
) -> bytes:
    """Build a .docx from blocks.

    ("p", text) a typed paragraph; ("auto", level, text) a paragraph numbered by Word at a level of
    ``levels`` (default: 一、/（一）/1./（1）); ("style", style name, text) a paragraph in a style such as
    "Heading 1" (numbered by the style when ``style_levels`` maps the style to a level); ("table", rows)
    a table, where a row of one cell spans the whole width, a cell "^" is merged with the cell above and a
    cell "@auto0@NAME text" is numbered by Word's list NAME; ("break",) a page break.
    ``lists`` adds further Word lists by name: ("auto", level, text, name) numbers a paragraph in list
    ``name``; ("restart", name) starts a new instance of that list (a w:num with startOverride 1), as
    Word does when the user restarts numbering at 1.
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
    abstract_of: dict[str, int] = {"": 90}
    num_of: dict[str, int] = {"": 90}
    for index, (name, list_levels) in enumerate((lists or {}).items(), start=91):
        abstract, num = _numbering_xml(index, index, list_levels)
        numbering.find(qn("w:num")).addprevious(parse_xml(abstract))
        numbering.append(parse_xml(num))
        abstract_of[name] = num_of[name] = index
    next_num = 200
    for style_name, level in (style_levels or {}).items():
        style_ppr = document.styles[style_name].element.get_or_add_pPr()
        style_ppr.insert(
            0, parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    for block in blocks:
        if block[0] == "p":
            document.add_paragraph(block[1])
        elif block[0] == "auto":
            paragraph = document.add_paragraph(block[2])
            ppr = paragraph._p.get_or_add_pPr()
            num_id = num_of[block[3] if len(block) > 3 else ""]
            numpr = f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{block[1]}"/><w:numId w:val="{num_id}"/></w:numPr>'
            ppr.append(parse_xml(numpr))
        elif block[0] == "restart":
            overrides = "".join(
                f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="1"/></w:lvlOverride>' for lvl in range(4)
            )
            numbering.append(
                parse_xml(
                    f'<w:num xmlns:w="{W_NS}" w:numId="{next_num}"><w:abstractNumId w:val="{abstract_of[block[1]]}"/>'
                    f"{overrides}</w:num>"
                )
            )
            num_of[block[1]] = next_num
            next_num += 1
        elif block[0] == "style":
            document.add_paragraph(block[2], style=block[1])
        elif block[0] == "table":
            rows = block[1]
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, row in enumerate(rows):
                if len(row) == 1 and width > 1:
                    table.cell(r, 0).merge(table.cell(r, width - 1)).text = row[0]
                    continue
                for c, value in enumerate(row):
                    if value == "^":
                        continue
                    if value.startswith("@auto"):
                        head, _, text = value.partition(" ")
                        level, _, name = head[5:].partition("@")
                        cell_p = table.cell(r, c).paragraphs[0]
                        cell_p.text = text
                        cell_p._p.get_or_add_pPr().append(
                            parse_xml(
                                f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/>'
                                f'<w:numId w:val="{num_of[name]}"/></w:numPr>'
                            )
                        )
                        continue
                    table.cell(r, c).text = value
            for c in range(width):  # "^": merged with the cell above (Word's vertical merge)
                r = 1
                while r < len(rows):
                    if c < len(rows[r]) and rows[r][c] == "^":
                        top = r - 1
                        while r < len(rows) and c < len(rows[r]) and rows[r][c] == "^":
                            r += 1
                        text = table.cell(top, c).text
                        table.cell(top, c).merge(table.cell(r - 1, c)).text = text
                    r += 1
        elif block[0] == "break":
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_from_text(text: str) -> bytes:
    """A .docx with one paragraph per line of ``text`` (numbers typed by hand)."""
    return build_docx([("p", line) for line in text.splitlines() if line.strip()])


def build_pdf(
    paragraphs: list[str], *, width_mm: float = 150, footer: bool = True, footer_text: str = "- {page} -"
) -> bytes:
    """A PDF with the CJK font: paragraphs wrap at the page width, first lines indented by two characters.

    ``footer_text`` may use {page} and {pages} (e.g. "第 {page} 页 共 {pages} 页").
    """
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            if footer:
                self.set_y(-15)
                self.set_font("wqy", size=9)
                self.cell(0, 10, footer_text.format(page=self.page_no(), pages="{nb}"), align="C")

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


def docx_from_builder(spec: str) -> bytes:
    """A .docx from a line-based description (the corpus's ``.docx-builder`` files).

    ``levels: fmt:text | fmt:text …`` Word's multilevel list; ``style-levels: Heading 1=0, Heading 2=1``
    numbering attached to styles; ``p: text`` typed paragraph; ``auto<N>: text`` auto-numbered at level N;
    ``style <name>: text`` a styled paragraph; ``table:`` then ``| a | b |`` rows then ``end``; ``break``;
    ``list <name>: fmt:text | …`` a further Word list, ``auto<N>@<name>: text`` a paragraph in it and
    ``restart <name>`` a new instance of it that starts again at 1.
    Blank lines and lines starting with # are ignored.
    """
    blocks: list[tuple] = []
    levels: list[tuple[str, str]] | None = None
    style_levels: dict[str, int] = {}
    lists: dict[str, list[tuple[str, str]]] = {}
    table: list[list[str]] | None = None
    for raw in spec.splitlines():
        line = raw.strip()
        if table is not None:
            if line == "end":
                blocks.append(("table", table))
                table = None
            elif line.startswith("|"):
                table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition(":")
        rest = rest.strip()
        if head == "levels":
            levels = [tuple(part.strip().split(":", 1)) for part in rest.split("|")]  # type: ignore[misc]
        elif head == "style-levels":
            for part in rest.split(","):
                name, _, level = part.rpartition("=")
                style_levels[name.strip()] = int(level)
        elif head == "p":
            blocks.append(("p", rest))
        elif head.startswith("list "):
            lists[head[5:].strip()] = [tuple(part.strip().split(":", 1)) for part in rest.split("|")]  # type: ignore[misc]
        elif line.startswith("restart "):
            blocks.append(("restart", line[8:].strip()))
        elif head.startswith("auto") and head[4:].partition("@")[0].isdigit():
            level, _, name = head[4:].partition("@")
            blocks.append(("auto", int(level), rest, name) if name else ("auto", int(level), rest))
        elif head.startswith("style "):
            blocks.append(("style", head[6:].strip(), rest))
        elif line == "table:":
            table = []
        elif line == "break":
            blocks.append(("break",))
        else:
            raise ValueError(f"unknown docx-builder line: {raw!r}")
    return build_docx(blocks, levels=levels, style_levels=style_levels or None, lists=lists or None)


def pdf_from_builder(spec: str) -> bytes:
    """A .pdf from a description (the corpus's ``.pdf-builder`` files): one paragraph per line
    (``^`` centres it); option lines ``@width 150`` and ``@footer 第 {page} 页 共 {pages} 页``."""
    paragraphs: list[str] = []
    width, footer_text = 150.0, "- {page} -"
    for raw in spec.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@width "):
            width = float(line[7:])
        elif line.startswith("@footer "):
            footer_text = line[8:]
        else:
            paragraphs.append(line)
    return build_pdf(paragraphs, width_mm=width, footer_text=footer_text)


def corpus_document(path: Path) -> tuple[bytes, str]:
    """The bytes and filename of a corpus document: a .txt as is, a .docx-builder/.pdf-builder built."""
    if path.suffix == ".docx-builder":
        return docx_from_builder(path.read_text(encoding="utf-8")), path.stem + ".docx"
    if path.suffix == ".pdf-builder":
        return pdf_from_builder(path.read_text(encoding="utf-8")), path.stem + ".pdf"
    return path.read_bytes(), path.name
