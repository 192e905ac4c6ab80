"""Read a PDF's text layer; join lines broken by the page width; drop page headers and footers."""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from .clean import FOOTER_LINE, LINE_START_MARKER, clean_text_lines
from .model import Para, ParseError, Source

MAX_PAGES = 2000
MSG_SCANNED = "该 PDF 没有文字层（可能是扫描件）；请先用 OCR 识别文字，或导入 .docx/.txt 文件"
MSG_BROKEN = "PDF 文件已加密或已损坏，无法读取；请导出为未加密的 PDF 或另存为 .docx 后再导入"
MSG_CID = "PDF 的字体无法转换为文字；请用原文档另存为 .docx，或对 PDF 进行 OCR 后再导入"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    size: float
    page: int


def _page_lines(page, index: int) -> list[_Line]:
    height = float(page.height or 1)
    lines = []
    for raw in page.extract_text_lines(return_chars=False, strip=True):
        text = (raw.get("text") or "").strip()
        if not text:
            continue
        top, bottom = float(raw["top"]), float(raw["bottom"])
        in_margin = top < height * 0.08 or bottom > height * 0.92
        if FOOTER_LINE.match(text) and (in_margin or len(text) <= 12):
            continue
        lines.append(_Line(text, float(raw["x0"]), float(raw["x1"]), max(bottom - top, 1.0), index))
    return lines


def _drop_repeated(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop running headers/footers: the same first or last line on most pages."""
    if len(pages) < 3:
        return pages
    counts: dict[str, int] = {}
    for lines in pages:
        for line in {*(x.text for x in lines[:1]), *(x.text for x in lines[-1:])}:
            key = re.sub(r"[0-9\s]+", "#", line)
            counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, n in counts.items() if n >= max(3, len(pages) * 0.6)}
    if not repeated:
        return pages
    out = []
    for lines in pages:
        keep = list(lines)
        for pos in (0, -1):
            if keep and re.sub(r"[0-9\s]+", "#", keep[pos].text) in repeated:
                keep.pop(pos)
        out.append(keep)
    return out


def join_pdf_lines(lines: list[_Line]) -> list[str]:
    """Join lines that run to the right margin with the next one, unless it is indented or numbered."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    long_right = sorted(line.x1 for line in lines)
    right = long_right[int(len(long_right) * 0.9)] if len(long_right) > 3 else max(long_right)
    size = statistics.median(line.size for line in lines)
    paragraphs: list[str] = []
    prev: _Line | None = None
    for line in lines:
        full = prev is not None and prev.x1 >= right - 1.5 * size
        indented = line.x0 > left + 1.2 * size
        if prev is not None and full and not indented and not LINE_START_MARKER.match(line.text):
            sep = " " if re.search(r"[A-Za-z0-9]$", paragraphs[-1]) and re.match(r"[A-Za-z0-9]", line.text) else ""
            paragraphs[-1] += sep + line.text
        else:
            paragraphs.append(line.text)
        prev = line
    return paragraphs


def read_pdf(data: bytes):
    """Read PDF bytes into a Source; scanned, encrypted or broken PDFs raise ParseError."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for broken or encrypted files
        raise ParseError(MSG_BROKEN) from exc
    pages: list[list[_Line]] = []
    has_images = False
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ParseError("PDF 页数过多，无法导入")
            for index, page in enumerate(pdf.pages):
                pages.append(_page_lines(page, index))
                has_images = has_images or bool(page.images)
    except ParseError:
        raise
    except Exception as exc:  # same: a damaged content stream can fail in many ways
        raise ParseError(MSG_BROKEN) from exc
    lines = [line for page_lines in _drop_repeated(pages) for line in page_lines]
    if not lines:
        raise ParseError(MSG_SCANNED if has_images or pages else MSG_BROKEN)
    text = "".join(line.text for line in lines)
    if text.count("(cid:") * 6 > len(text) * 0.3:
        raise ParseError(MSG_CID)
    cleaned = clean_text_lines(join_pdf_lines(lines), wrapped=False)
    return Source([Para(p) for p in cleaned.paragraphs], "pdf", cleaned.flat, cleaned.site_title, cleaned.warnings)
