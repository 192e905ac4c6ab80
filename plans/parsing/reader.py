"""Read bytes or text into paragraphs: plain text (UTF-8, UTF-16, GB18030), HTML, .docx and .pdf."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from .clean import clean_text_lines
from .docx_reader import read_docx
from .model import MAX_BYTES, Para, ParseError, Source
from .pdf_reader import read_pdf
from .textforms import text_segments
from .variants import strip_pinyin_noise, to_simplified

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

MSG_EMPTY = "文件内容为空，没有可解析的工作要点"
MSG_TOO_BIG = "文件超过 20 MB，无法导入；请删除图片等内容后再试"
MSG_DOC = "这是旧版 Word（.doc）文件，无法直接解析；请在 Word 或 WPS 中“另存为” .docx 格式后再导入"
MSG_RTF = "这是 RTF 文件，无法直接解析；请在 Word 或 WPS 中“另存为” .docx 格式后再导入"
MSG_IMAGE = "这是图片文件，没有文字；请先用 OCR 识别文字，或导入 .docx、.pdf、.txt 文件"
MSG_BINARY = "无法识别的文件格式；请导入 .docx、带文字层的 .pdf 或 .txt 文本"
MSG_ENCODING = "无法识别文本编码；请将文件另存为 UTF-8 编码的文本后再导入"


def detect_format(data: bytes, filename: str | None) -> str:
    """Return "pdf", "docx" or "text" from the magic bytes (and the extension); raise for others."""
    ext = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "docx"
    if data.startswith(OLE_MAGIC):
        raise ParseError(MSG_DOC if ext in ("doc", "wps", "") else MSG_BINARY)
    if data.lstrip().startswith(b"{\\rtf"):
        raise ParseError(MSG_RTF)
    if data.startswith(_IMAGE_MAGIC):
        raise ParseError(MSG_IMAGE)
    if ext == "pdf":
        raise ParseError("文件扩展名是 .pdf，但内容不是 PDF；请检查文件是否损坏")
    if ext == "docx":
        raise ParseError("文件扩展名是 .docx，但内容不是 Word 文档；请检查文件是否损坏")
    if ext == "doc":
        raise ParseError(MSG_DOC)
    return "text"


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOM first, then UTF-8, then GB18030 (which covers GBK and GB2312)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        codec = "utf-16-le" if odd > even else "utf-16-be"
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") > len(text) // 100 or _CONTROL.search(text[:4096]):
            raise ParseError(MSG_BINARY)
        return text
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ParseError(MSG_ENCODING)


class _HtmlText(HTMLParser):
    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table"}
    _SKIP = {"script", "style", "head", "title", "nav", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """Text of an HTML page with one line per block element."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith("<") and bool(re.search(r"<(?:!doctype html|html|body|p|div)[\s>]", head))


def read_text(text: str) -> Source:
    """Paragraphs of pasted or .txt text (or an HTML page); traditional characters are read as
    simplified (the map back is on the Source) and the sites' pinyin noise is removed."""
    text = strip_pinyin_noise(text)
    [text], back = to_simplified([text])
    source = _read_text(text)
    source.restore = back
    return source


def _read_text(text: str) -> Source:
    if _CONTROL.search(text):
        if len(_CONTROL.findall(text)) > max(3, len(text) // 200):
            raise ParseError(MSG_BINARY)
        text = _CONTROL.sub("", text)
    if _looks_like_html(text):
        text = html_to_text(text)
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0c", text)
    segments = text_segments(lines)
    if len(segments) == 1 and segments[0] and isinstance(segments[0][0], str):
        cleaned = clean_text_lines(lines)
        return Source([Para(p) for p in cleaned.paragraphs], "text", cleaned.flat, cleaned.site_title, cleaned.warnings)
    paras: list[Para] = []
    flat, site_title, warnings = False, None, []
    for segment in segments:
        if segment and isinstance(segment[0], Para):
            paras.extend(segment)
            continue
        cleaned = clean_text_lines(segment)
        paras.extend(Para(p) for p in cleaned.paragraphs)
        flat = flat or cleaned.flat
        site_title = site_title or cleaned.site_title
        warnings.extend(cleaned.warnings)
    return Source(paras, "text", flat, site_title, warnings)


def read_source(data: bytes | str, filename: str | None = None) -> Source:
    """Read any supported input into paragraphs, or raise ParseError with a Chinese message."""
    if isinstance(data, str):
        if len(data) > MAX_BYTES:
            raise ParseError(MSG_TOO_BIG)
        if not data.strip():
            raise ParseError(MSG_EMPTY)
        return read_text(data)
    if len(data) > MAX_BYTES:
        raise ParseError(MSG_TOO_BIG)
    if not data.strip():
        raise ParseError(MSG_EMPTY)
    fmt = detect_format(data, filename)
    if fmt == "pdf":
        return read_pdf(data)
    if fmt == "docx":
        return read_docx(data)
    text = decode_text(data)
    if not text.strip():
        raise ParseError(MSG_EMPTY)
    return read_text(text)
