"""Noise removal: web-page chrome, document-site headers, page markers and footers, stray spaces."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2014\u2026"
TERMINAL = "。；;！!？?）)】」』”:："

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTI_SPACE = re.compile(" {2,}")
_CJK_SPACE = re.compile(f"(?<=[{CJK}{CJK_PUNCT}]) +(?=[{CJK}{CJK_PUNCT}])")
_CJK_DIGIT_SPACE = re.compile(f"(?<=[{CJK}]) +(?=[0-9０-９])|(?<=[0-9０-９]) +(?=[{CJK}])")
_ASCII_PUNCT_SPACE = re.compile(f"(?<=[,;:!?()]) +(?=[{CJK}])|(?<=[{CJK}]) +(?=[,;:!?()])")

SITE_NOISE = re.compile(
    r"由会员分享|可在线阅读|更多相关《|请在.{0,80}上搜索|淘文阁|原创力文档|道客巴巴|豆丁网|人人文库|百度文库"
    r"|book118|docin\.com|doc88|renrendoc|wenku|下载后可编辑|可编辑修改|本文档(?:由|来自|为|仅)|侵权必删|如有侵权"
    r"|文档可能.{0,10}在线预览|免费下载|精品文档|VIP专享|扫码下载|点击下载|相关搜索|版权所有.{0,20}转载"
)
# A document site's notice to readers, often a numbered list before the document itself.
BOILERPLATE = re.compile(
    r"包含数学公式|PPT动画|查看预览时|文件下载后|请放心下载|本文档由用户上传|版权归属用户|仅提供信息存储空间|信息存储空间服务"
    r"|下载前请|确认文档内容符合|本站(?:所有|不保证|仅)|如您发现|侵犯您的|请联系(?:网站|本站)|不得(?:用于|转载)"
    r"|文档(?:下载|预览|页数|格式)|用户上传|付费(?:文档|下载)|积分下载|会员(?:免费|专享|下载)|在线预览|全文预览|阅读全文"
    r"|网址水印|仅供(?:学习|参考|交流)使用|下载的文档|作品文档|侵犯您的权益|上传者|客服删除|不能对任何下载内容负责"
)
META_LINE = re.compile(
    r"^\s*(?:索\s*引\s*号|发布机构|发文机关|发文字号|文\s*号|主题分类|主\s*题\s*词|成文日期|发布日期|发文日期|生效日期"
    r"|公开方式|公开范围|有\s*效\s*性|名\s*称|来\s*源|作\s*者|浏览次数|点击数|阅读次数|字\s*号|责任编辑|信息来源"
    r"|分\s*享\s*到|打印本页|关闭窗口|【\s*(?:打印|关闭|字体)|【\s*大\s*】|发布时间|更新时间|访问量|审核|编辑)"
    r"\s*(?:[:：]|$|】|\s)"
)
FOOTER_LINE = re.compile(
    r"^\s*(?:第\s*[0-9０-９]+\s*页\s*(?:[,，/／、]?\s*共\s*[0-9０-９]+\s*页)?|共\s*[0-9０-９]+\s*页\s*第\s*[0-9０-９]+\s*页"
    r"|[-—–－_]+\s*[0-9０-９]{1,3}\s*[-—–－_]+|[0-9０-９]{1,3}\s*[/／]\s*[0-9０-９]{1,3}|[0-9０-９]{1,3}"
    r"|page\s*\d+(?:\s*of\s*\d+)?)\s*$",
    re.IGNORECASE,
)
PAGE_MARK = re.compile(r"^\s*([0-9]{1,3})\s*、")
_MIDLINE_STRUCTURE = re.compile(
    f"[。；;）)]\\s*(?:[一二三四五六七八九十]{{1,3}}、|[（(][一二三四五六七八九十]{{1,3}}[）)]|[0-9]{{1,3}}\\s*[.．、](?=[{CJK}]))"
)
LINE_START_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十0-9０-９]{1,3}\s*[）)]"
    r"|[0-9０-９]{1,3}\s*[.．、)）](?![0-9])|[①-⑳]|第[一二三四五六七八九十]{1,3}(?:部分|章|节)|[一二三四五六七八九十]是)"
)


@dataclass
class Cleaned:
    """Paragraphs after noise removal, and whether the text was flat (a scraped page per line)."""

    paragraphs: list[str]
    flat: bool = False
    site_title: str | None = None
    warnings: list[str] = field(default_factory=list)


def normalize_spaces(text: str) -> str:
    """Make every kind of space a plain space and drop invisible characters; keep line breaks."""
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text)


def remove_stray_spaces(text: str) -> str:
    """Remove spaces left by line wraps between Chinese characters (党的 二 十大 → 党的二十大)."""
    if " " not in text:
        return text
    text = _MULTI_SPACE.sub(" ", text)
    text = _CJK_SPACE.sub("", text)
    text = _CJK_DIGIT_SPACE.sub("", text)
    text = _ASCII_PUNCT_SPACE.sub("", text)
    return text.strip()


_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Width of a line in half-width columns (CJK and full-width forms count 2)."""
    return len(text) + len(_WIDE.findall(text))


def ends_open(text: str) -> bool:
    """True when a line ends mid-sentence (no terminal punctuation)."""
    text = text.rstrip()
    return bool(text) and text[-1] not in TERMINAL and text[-1] not in ",，、"


def _site_title(line: str) -> str | None:
    match = re.search(r"《([^《》]{2,80}?)(?:\.(?:docx?|pdf|wps|txt))?》", line)
    return match.group(1) if match else None


def drop_noise(lines: list[str]) -> tuple[list[str], str | None, list[int]]:
    """Drop site chrome, metadata and footer lines; return kept lines, a site title and footer gaps.

    The gaps are the indexes (in the kept list) before which a footer line was removed, so that
    a paragraph cut by a page footer can be joined again.
    """
    kept: list[str] = []
    gaps: list[int] = []
    site_title = None
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if BOILERPLATE.search(stripped) and len(stripped) < 160:
            continue
        if SITE_NOISE.search(stripped) and not LINE_START_MARKER.match(stripped):
            site_title = site_title or _site_title(stripped)
            continue
        if FOOTER_LINE.match(stripped):
            gaps.append(len(kept))
            continue
        if META_LINE.match(stripped) and len(stripped) < 120:
            continue
        kept.append(line)
    return kept, site_title, gaps


def _page_marker_lines(lines: list[str]) -> list[int]:
    """Indexes of lines that start with a document site's page marker (1、 2、 3、 …), or []."""
    found: list[int] = []
    expected = 1
    for i, line in enumerate(lines):
        match = PAGE_MARK.match(line)
        if match and int(match.group(1)) == expected:
            found.append(i)
            expected += 1
    if len(found) < 2 or found[-1] - found[0] + 1 != len(found):
        return []
    body = [PAGE_MARK.sub("", lines[i], count=1) for i in found]
    cut_words = sum(
        1
        for prev, line in itertools.pairwise(body)
        if len(prev) >= 60 and ends_open(prev) and re.match(f"[{CJK}]", line.lstrip())
    )
    midline = sum(len(_MIDLINE_STRUCTURE.findall(line)) for line in body)
    if cut_words >= 1 or midline >= 2:
        return found
    return []


def _hard_wrap_width(lines: list[str]) -> int | None:
    """The column at which a hard-wrapped text was wrapped, or None when lines are paragraphs.

    A wrapped text has many lines within a few columns of its widest ordinary line (punctuation,
    half-width digits and indentation make full lines differ by a few columns).
    """
    measured = [(display_width(line.strip()), line) for line in lines if len(line.strip()) >= 10]
    widths = sorted(width for width, _ in measured)
    if len(widths) < 5:
        return None
    top = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
    near = [line for width, line in measured if top - 8 <= width <= top + 4]
    # wrapped lines mostly stop mid-sentence; short paragraphs of similar length end with 。 or ）
    open_ends = sum(1 for line in near if ends_open(line))
    if len(near) / len(widths) >= 0.35 and 20 <= top <= 160 and open_ends * 2 >= len(near):
        return max(w for w in widths if w <= top + 4)
    return None


def _is_indented(line: str) -> bool:
    return line.startswith("  ") or line.startswith("\u3000")


def join_lines(lines: list[str], gaps: list[int], wrap_width: int | None) -> list[str]:
    """Join hard-wrapped lines and lines cut by a removed page footer into paragraphs."""
    gap_set = set(gaps)
    paragraphs: list[str] = []
    prev_raw = ""
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            prev_raw = ""
            if paragraphs and paragraphs[-1] != "":
                paragraphs.append("")
            continue
        join = False
        if paragraphs and paragraphs[-1] and not LINE_START_MARKER.match(line):
            prev = paragraphs[-1]
            if wrap_width and prev_raw and display_width(prev_raw.strip()) >= wrap_width - 6:
                join = not _is_indented(raw)
            if i in gap_set and len(prev) >= 30 and ends_open(prev):
                join = True
        if join:
            sep = " " if re.search(r"[A-Za-z0-9]$", paragraphs[-1]) and re.match(r"[A-Za-z0-9]", line) else ""
            paragraphs[-1] = paragraphs[-1] + sep + line
        else:
            paragraphs.append(line)
        prev_raw = raw
    return [p for p in paragraphs if p]


def clean_text_lines(lines: list[str], *, wrapped: bool = True) -> Cleaned:
    """Turn the physical lines of a text (or a PDF's joined lines) into clean paragraphs."""
    lines = [normalize_spaces(line) for line in lines]
    kept, site_title, gaps = drop_noise(lines)
    warnings: list[str] = []
    nonblank = [i for i, line in enumerate(kept) if line.strip()]
    marks = _page_marker_lines([kept[i] for i in nonblank])
    if marks:
        first, last = nonblank[marks[0]], nonblank[marks[-1]]
        block = "".join(PAGE_MARK.sub("", kept[i], count=1).strip() for i in nonblank[marks[0] : marks[-1] + 1])
        before = [line.strip() for line in kept[:first] if line.strip()]
        after = [line.strip() for line in kept[last + 1 :] if line.strip()]
        warnings.append(f"已移除网页页码标记（1、至{len(marks)}、）并接合被截断的文字")
        return Cleaned([*before, block, *after], flat=True, site_title=site_title, warnings=warnings)
    wrap_width = _hard_wrap_width(kept) if wrapped else None
    paragraphs = join_lines(kept, gaps, wrap_width)
    flat = bool(paragraphs) and sorted(len(p) for p in paragraphs)[len(paragraphs) // 2] > 400
    return Cleaned(paragraphs, flat=flat, site_title=site_title, warnings=warnings)
