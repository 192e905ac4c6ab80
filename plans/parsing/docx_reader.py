"""Read a .docx safely: paragraphs in order, Word's automatic numbering rendered, tables as items."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from .clean import FOOTER_LINE, META_LINE, SITE_NOISE, normalize_spaces
from .markers import find_markers
from .model import Para, ParseError, Source
from .numerals import CIRCLED, int_to_cn
from .tables import MERGED as _MERGED
from .tables import join_cell as _join_cell
from .tables import table_paras

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)

MSG_BOMB = "Word 文档解压后过大或压缩比异常（疑似压缩炸弹），已拒绝导入"
MSG_DTD = "Word 文档含有 DTD/实体声明（可能是恶意文件），已拒绝导入"
MSG_DEPTH = "Word 文档结构嵌套过深或 XML 格式错误，已拒绝导入"
MSG_BAD = "Word 文档已损坏或不是 .docx 格式；请在 Word 中重新“另存为” .docx 后再导入"


def check_zip(data: bytes) -> None:
    """Refuse zip bombs, non-Word archives and XML with DTDs before python-docx opens the file."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ParseError(MSG_BAD) from exc
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            if "xl/workbook.xml" in names:
                raise ParseError("这是 Excel 文件；请导入工作要点的 .docx、.pdf 或 .txt 文件")
            if "ppt/presentation.xml" in names:
                raise ParseError("这是 PowerPoint 文件；请导入工作要点的 .docx、.pdf 或 .txt 文件")
            raise ParseError(MSG_BAD)
        if len(infos) > MAX_ENTRIES:
            raise ParseError(MSG_BOMB)
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise ParseError(MSG_BOMB)
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                try:
                    content = archive.read(info)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                    raise ParseError(MSG_BAD) from exc
                if _DTD.search(content):
                    raise ParseError(MSG_DTD)


# --- numbering -------------------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False
    restart: int | None = None  # w:lvlRestart: 0 = never restart; n = restart after level n (1-based)


@dataclass
class _Numbering:
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> level
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    started_nums: set[str] = field(default_factory=set)
    root: object = None

    def next(self, num_id: str, ilvl: int) -> tuple[str, int, str] | None:
        """Advance the counter of a numbered paragraph; return (rendered marker, number, list key)."""
        abstract = self.nums.get(num_id)
        if abstract is None or abstract not in self.levels:
            return None
        levels = self.levels[abstract]
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return None
        counters = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.started_nums:
            self.started_nums.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                if 0 <= lvl < 10:
                    counters[lvl] = start - 1
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl + 1 <= restart):
                counters[deeper] = None
        number = counters[ilvl] or 0

        def render(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            lv = levels.get(lvl, _Level())
            value = counters[lvl] if lvl < 10 and counters[lvl] is not None else lv.start
            return format_number(value or 0, "decimal" if level.legal and lvl != ilvl else lv.fmt)

        marker = re.sub(r"%([1-9])", render, level.text).strip()
        return marker, number, f"docx:{abstract}:{ilvl}"


_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def format_number(value: int, fmt: str) -> str:
    """Render a counter in one of Word's number formats."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "chineseLegalSimplified",
        "koreanCounting",
    ):
        return int_to_cn(value)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < value <= 20:
        return CIRCLED[value - 1]
    if fmt == "decimalEnclosedParen" and 0 < value <= 20:
        return chr(0x2474 + value - 1)
    if fmt == "decimalEnclosedFullstop" and 0 < value <= 20:
        return chr(0x2488 + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 40:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "ideographTraditional" and 0 < value <= 10:
        return _TIANGAN[value - 1]
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for amount, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= amount:
            out += letters
            value -= amount
    return out


def _val(element, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return child.get(W + "val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def load_numbering(numbering_el) -> _Numbering:
    """Read numbering.xml: abstract numbering definitions and the numbering instances using them."""
    numbering = _Numbering(root=numbering_el)
    if numbering_el is None:
        return numbering
    for abstract in numbering_el.iterchildren(W + "abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in abstract.iterchildren(W + "lvl"):
            levels[_int(lvl.get(W + "ilvl"), 0)] = _Level(
                start=_int(_val(lvl, "start"), 1),
                fmt=_val(lvl, "numFmt") or "decimal",
                text=_val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else "",
                legal=lvl.find(W + "isLgl") is not None,
                restart=_int(_val(lvl, "lvlRestart"), -1) if _val(lvl, "lvlRestart") is not None else None,
            )
        numbering.levels[abstract.get(W + "abstractNumId") or ""] = levels
    for num in numbering_el.iterchildren(W + "num"):
        num_id = num.get(W + "numId") or ""
        numbering.nums[num_id] = _val(num, "abstractNumId") or ""
        for override in num.iterchildren(W + "lvlOverride"):
            start = _val(override, "startOverride")
            if start is not None:
                numbering.overrides.setdefault(num_id, {})[_int(override.get(W + "ilvl"), 0)] = _int(start, 1)
    return numbering


def link_list_styles(numbering: _Numbering, style_numpr: dict[str, tuple[str | None, int | None]]) -> None:
    """Resolve w:numStyleLink: an abstract list that only points at a list style uses that style's levels."""
    root = numbering.root
    if root is None:
        return
    for abstract in root.iterchildren(W + "abstractNum"):
        link = _val(abstract, "numStyleLink")
        abstract_id = abstract.get(W + "abstractNumId") or ""
        if not link or numbering.levels.get(abstract_id):
            continue
        num_id = style_numpr.get(link, (None, None))[0]
        target = numbering.nums.get(num_id or "")
        if target and target != abstract_id and numbering.levels.get(target):
            for num, abstract_of in numbering.nums.items():
                if abstract_of == abstract_id:
                    numbering.nums[num] = target  # share the target's levels and counters


def _style_numpr(styles_el) -> dict[str, tuple[str | None, int | None]]:
    """Numbering attached to paragraph styles (e.g. a heading style with numbering), following basedOn."""
    raw: dict[str, tuple[str | None, int | None, str | None]] = {}
    if styles_el is None:
        return {}
    for style in styles_el.iterchildren(W + "style"):
        ppr = style.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl = _int(_val(numpr, "ilvl"), 0) if numpr is not None and _val(numpr, "ilvl") else None
        raw[style.get(W + "styleId") or ""] = (num_id, ilvl, _val(style, "basedOn"))
    resolved: dict[str, tuple[str | None, int | None]] = {}
    for style_id in raw:
        seen, current = set(), style_id
        num_id, ilvl = None, None
        while current in raw and current not in seen:
            seen.add(current)
            n, lv, based = raw[current]
            num_id = num_id or n
            ilvl = ilvl if ilvl is not None else lv
            current = based or ""
        resolved[style_id] = (num_id, ilvl)
    return resolved


# --- text ----------------------------------------------------------------------------------------


def paragraph_text(p) -> str:
    """Visible text of a w:p: runs, tabs as spaces, breaks as newlines; no deleted or fallback text."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        if _hidden(el, p):
            continue
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _hidden(el, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (W + "del", MC_FALLBACK, W + "pPr"):
            return True
        parent = parent.getparent()
    return False


class DocxReader:
    """Walks the document body in order and produces paragraphs with Word numbering resolved."""

    def __init__(self, document) -> None:
        self.document = document
        part = document.part
        try:
            numbering_el = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering_el = None
        self.numbering = load_numbering(numbering_el)
        try:
            styles_el = part.styles.element if hasattr(part.styles, "element") else part.styles._element
        except (KeyError, NotImplementedError, AttributeError):
            styles_el = None
        self.style_numpr = _style_numpr(styles_el)
        link_list_styles(self.numbering, self.style_numpr)
        self.paras: list[Para] = []

    def read(self) -> list[Para]:
        """Return the body's paragraphs (and table rows) in document order."""
        body = self.document.element.body
        stack = [iter(body.iterchildren())]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            if child.tag == W + "p":
                self._paragraph(child)
            elif child.tag == W + "tbl":
                self._table(child)
            elif child.tag in (W + "sdt", W + "customXml", W + "sdtContent"):
                stack.append(iter(child.iterchildren()))
        return self.paras

    def _number_of(self, p) -> tuple[str, int, str] | None:
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl = _int(_val(numpr, "ilvl"), -1) if numpr is not None else -1
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        if style_id and (num_id is None or ilvl < 0):
            style_num, style_lvl = self.style_numpr.get(style_id, (None, None))
            num_id = num_id or style_num
            if ilvl < 0:
                ilvl = style_lvl if style_lvl is not None else 0
        if not num_id or num_id == "0":
            return None
        return self.numbering.next(num_id, max(ilvl, 0))

    def _paragraph(self, p) -> None:
        numbered = self._number_of(p)
        text = normalize_spaces(paragraph_text(p))
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        if numbered:
            marker, number, list_key = numbered
            kind = _kind_of(marker) or list_key
            self.paras.append(Para(lines[0], marker=marker, number=number, kind=kind))
            lines = lines[1:]
        for line in lines:
            if not _is_noise(line):
                self.paras.append(Para(line))

    def _table(self, tbl) -> None:
        rows: list[list[str]] = []
        for tr in tbl.iterchildren(W + "tr"):
            cells = []
            for tc in tr.iterchildren(W + "tc"):
                tcpr = tc.find(W + "tcPr")
                merged = (
                    tcpr is not None
                    and tcpr.find(W + "vMerge") is not None
                    and (_val(tcpr, "vMerge") or "continue") == "continue"
                )
                column = len(cells)
                if merged:
                    # merged with the cell above: kept apart so that a department column can repeat it
                    above = rows[-1][column] if rows and column < len(rows[-1]) else ""
                    above = above[1:] if above.startswith(_MERGED) else above
                    cells.append(_MERGED + above if above else "")
                else:
                    cells.append(_join_cell([t for t in (self._cell_paragraph(p) for p in tc.iter(W + "p")) if t]))
                span = min(_int(_val(tcpr, "gridSpan"), 1), 64) if tcpr is not None else 1
                cells.extend([""] * (span - 1))  # keep the columns aligned with the header
            rows.append(cells)
        self.paras.extend(table_paras(rows, noise=_is_noise))

    def _cell_paragraph(self, p) -> str:
        """A cell paragraph's text, with Word's automatic number (a 序号 column numbered by Word)."""
        text = normalize_spaces(paragraph_text(p)).strip()
        numbered = self._number_of(p)
        return numbered[0] + text if numbered else text


def _kind_of(marker: str) -> str | None:
    found = find_markers(marker + "字")
    if found and found[0].start == 0 and found[0].end >= len(marker.rstrip()):
        return found[0].kind
    return None


def _is_noise(line: str) -> bool:
    return bool(SITE_NOISE.search(line) or FOOTER_LINE.match(line) or (META_LINE.match(line) and len(line) < 120))


def read_docx(data: bytes):
    """Read .docx bytes into a Source, refusing unsafe files with a clear ParseError."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    check_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise ParseError(MSG_DEPTH) from exc
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ParseError(MSG_BAD) from exc
    try:
        paras = DocxReader(document).read()
    except (etree.XMLSyntaxError, RecursionError) as exc:
        raise ParseError(MSG_DEPTH) from exc
    if not any(p.text.strip() for p in paras):
        raise ParseError("Word 文档中没有文字；如果内容是图片，请先进行 OCR 文字识别")
    return Source(paras, "docx")
