"""Pasted text in other forms: Markdown (headings, lists, pipe tables) and task tables pasted as
text (cells separated by tabs or runs of spaces). Both become paragraphs the tree builder reads:
plain lines where the text carries its own numbering, paragraphs with an explicit marker where the
structure is in the form (a Markdown heading level, a list's indentation, a table row)."""

from __future__ import annotations

import re

from .clean import BOILERPLATE, FOOTER_LINE, LINE_START_MARKER, SITE_NOISE
from .markers import BARE, INLINE, find_markers
from .model import Para
from .tables import MERGED, header_map, is_task_header, table_paras

Segment = list[str] | list[Para]  # lines of ordinary text, or paragraphs already structured

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^(\s*)[-*+•·]\s+(.*)$")
_MD_ORDERED = re.compile(r"^(\s*)([0-9]{1,3})[.)]\s+(.*)$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(.+?)\1")
_MD_STAR = re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)\*(?!\*)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_CODE = re.compile(r"`([^`]*)`")
_CELL_SPLIT = re.compile(r"[ \u3000]{2,}")
_CN_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}[、.．]?")
_NOT_A_CELL = {"—", "-", "－", "/", "／", "无", "——", "…"}


def inline_markdown(text: str) -> str:
    """Text without Markdown emphasis, links, images and code marks."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    for _ in range(2):
        text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_STAR.sub(r"\1", text)
    return text.replace("**", "")


def looks_like_markdown(lines: list[str]) -> bool:
    headings = sum(1 for line in lines if _MD_HEADING.match(line))
    bullets = sum(1 for line in lines if _MD_BULLET.match(line) and not LINE_START_MARKER.match(line.strip()))
    bold = sum(1 for line in lines if "**" in line)
    pipes = sum(1 for line in lines if _MD_PIPE_SEPARATOR.match(line) and "-" in line)
    return headings >= 2 or (headings >= 1 and (bullets + bold + pipes) >= 1) or bold >= 2 or pipes >= 1


def _depth(indent: str) -> int:
    return len(indent.replace("\t", "    ")) // 2


def markdown_segments(lines: list[str]) -> list[Segment]:
    """Segments of a Markdown text: headings and lists become numbered paragraphs by level."""
    segments: list[Segment] = []
    text: list[str] = []
    paras: list[Para] = []
    counters: dict[str, int] = {}
    first_heading = True

    def flush_text():
        nonlocal text
        if text:
            segments.append(text)
            text = []

    def flush_paras():
        nonlocal paras
        if paras:
            segments.append(paras)
            paras = []

    def add_para(para: Para):
        flush_text()
        paras.append(para)

    def add_line(line: str):
        flush_paras()
        text.append(line)

    def count(kind: str) -> int:
        counters[kind] = counters.get(kind, 0) + 1
        return counters[kind]

    i = 0
    while i < len(lines):
        line = lines[i]
        if _MD_PIPE_ROW.match(line):
            rows = []
            while i < len(lines) and _MD_PIPE_ROW.match(lines[i]):
                if not _MD_PIPE_SEPARATOR.match(lines[i]):
                    cells = [inline_markdown(c.strip()) for c in lines[i].strip().strip("|").split("|")]
                    rows.append(cells)
                i += 1
            flush_text()
            paras.extend(table_paras(_fill_merged(rows)))
            flush_paras()
            continue
        i += 1
        if _MD_RULE.match(line) or not line.strip():
            add_line("")
            continue
        line = _MD_QUOTE.sub("", line)
        heading = _MD_HEADING.match(line)
        if heading:
            level, body = len(heading.group(1)), inline_markdown(heading.group(2)).strip()
            if first_heading and level == 1:
                first_heading = False
                add_line(body)
                continue
            first_heading = False
            if not body:
                continue
            for key in [k for k in counters if (k.startswith("md-h") and int(k[4:]) > level) or k.startswith("md-l")]:
                del counters[key]
            kind = f"md-h{level}"
            # the heading level makes the tree; numbering written in the heading is kept as its marker
            own = find_markers(body)
            if own and own[0].start == 0 and own[0].kind not in (INLINE, BARE):
                counters[kind] = own[0].number
                add_para(Para(body[own[0].end :].strip(), marker=own[0].text, number=own[0].number, kind=kind))
            else:
                add_para(Para(body, marker="", number=count(kind), kind=kind))
            continue
        bullet = _MD_BULLET.match(line)
        if bullet and not LINE_START_MARKER.match(line.strip()):
            depth = _depth(bullet.group(1))
            kind = f"md-l{depth}"
            for key in [k for k in counters if k.startswith("md-l") and int(k[4:]) > depth]:
                del counters[key]
            add_para(
                Para(inline_markdown(bullet.group(2)).strip(), marker=line.strip()[0], number=count(kind), kind=kind)
            )
            continue
        ordered = _MD_ORDERED.match(line)
        if ordered and _depth(ordered.group(1)) > 0:
            depth = _depth(ordered.group(1))
            kind = f"md-o{depth}"
            add_para(
                Para(
                    inline_markdown(ordered.group(3)).strip(),
                    marker=f"{ordered.group(2)}.",
                    number=int(ordered.group(2)),
                    kind=kind,
                )
            )
            continue
        if LINE_START_MARKER.match(line.strip()):
            for key in [k for k in counters if k.startswith("md-l")]:
                del counters[key]  # bullets under the next numbered item count from 1 again
        add_line(inline_markdown(line))
    flush_text()
    flush_paras()
    return segments


def _cells(line: str) -> list[str]:
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        return cells
    return [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]


def _fill_merged(rows: list[list[str]]) -> list[list[str]]:
    """Cells left empty under a lead department (a vertically merged cell pasted as text) repeat it;
    dashes and 无 in a cell mean empty."""
    if not rows:
        return rows
    header_at = next((i for i, row in enumerate(rows[:3]) if is_task_header(row)), None)
    if header_at is None:
        return rows
    columns = header_map(rows[header_at])
    lead, number = columns.get("lead"), columns.get("number")
    out = rows[: header_at + 1]
    previous_lead = ""
    for row in rows[header_at + 1 :]:
        row = ["" if c.strip() in _NOT_A_CELL else c for c in row]
        section_row = number is not None and number < len(row) and _CN_NUMBER.fullmatch(row[number].strip())
        if lead is not None and len([c for c in row if c]) > 1 and not section_row:
            if lead < len(row) and row[lead]:
                previous_lead = row[lead]
            elif previous_lead:
                row = row + [""] * (lead + 1 - len(row))
                row[lead] = MERGED + previous_lead
        out.append(row)
    return out


def table_segments(lines: list[str]) -> list[Segment]:
    """Segments of a text with task tables pasted in it (tabs or runs of spaces between cells)."""
    segments: list[Segment] = []
    text: list[str] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i]) if ("\t" in lines[i] or _CELL_SPLIT.search(lines[i].strip())) else []
        if len(cells) >= 3 and is_task_header(cells):
            width = len(cells)
            rows = [cells]
            columns = header_map(cells)
            i += 1
            while i < len(lines):
                line = lines[i]
                if not line.strip():
                    following = next((x for x in lines[i + 1 :] if x.strip()), "")
                    if len(_cells(following)) >= 2 or LINE_START_MARKER.match(following.strip()):
                        i += 1
                        continue
                    break
                if FOOTER_LINE.match(line.strip()) or BOILERPLATE.search(line) or SITE_NOISE.search(line):
                    i += 1  # a page footer or a site's notice between the rows of a table
                    continue
                row = _cells(line)
                if len(row) >= 2:
                    if (
                        len(row) < width
                        and "number" in columns
                        and columns["number"] == 0
                        and not re.fullmatch(r"[0-9０-９一二三四五六七八九十]{1,3}[、.．]?", row[0])
                    ):
                        row = ["", *row]  # the number cell was empty (merged)
                    rows.append(row)
                elif LINE_START_MARKER.match(row[0]) or len(rows) == 1:
                    rows.append(row)  # a section row spanning the table
                elif len(rows[-1]) >= 2:
                    target = columns.get("detail", columns.get("content", 1))
                    previous = rows[-1] + [""] * (target + 1 - len(rows[-1]))
                    previous[target] += row[0]  # a cell's text wrapped onto the next line
                    rows[-1] = previous
                else:
                    break
                i += 1
            if text:
                segments.append(text)
                text = []
            segments.append(table_paras(_fill_merged(rows)))
            continue
        text.append(lines[i])
        i += 1
    if text:
        segments.append(text)
    return segments


def text_segments(lines: list[str]) -> list[Segment]:
    """Split pasted text into ordinary lines and structured paragraphs (Markdown, pasted tables)."""
    if looks_like_markdown(lines):
        out: list[Segment] = []
        for segment in markdown_segments(lines):
            if segment and isinstance(segment[0], str):
                out.extend(table_segments(segment))
            else:
                out.append(segment)
        return out
    return table_segments(lines)
