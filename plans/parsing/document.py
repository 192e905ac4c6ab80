"""The plan's title and year, an issuing notice wrapped around it, and the trailer after it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import LINE_START_MARKER, remove_stray_spaces
from .numerals import cn_to_int
from .structure import fold

KEYWORDS = (
    r"(?:工作要点|工作计划|工作安排|工作思路|工作方案|工作任务|实施方案|行动方案|任务清单|重点任务|主要任务"
    r"|(?:任务)?分解表|任务分工(?:方案|表)?|责任分工(?:方案|表)?|要点|计划|安排)"
)
_DRAFT_NOTE = r"(?:\s*[（(][^（）()]{1,12}[）)])?"
WHOLE_TITLE = re.compile(rf"^[《〈]?(?P<title>[^。；;，,：:！!？?]{{2,80}}?{KEYWORDS}{_DRAFT_NOTE})[》〉]?$")
PREFIX_TITLE = re.compile(rf"^[《〈]?(?P<title>[^。；;，,：:！!？?《》“”]{{2,60}}?{KEYWORDS})[》〉]?")
NOTICE = re.compile(
    r"印\s*发\s*(?:[《〈<]\s*(?P<quoted>[^《》〈〉<>]{2,80}?)\s*[》〉>]|(?P<plain>[^《》，,。]{2,60}?))"
    r"\s*的\s*通\s*知"
)
ANNEX = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?\s*")
REDHEAD = re.compile(
    r"(?:文件|签发人[:：].*|〔\s*\d{4}\s*〕\s*\d+\s*号|\[\s*\d{4}\s*\]\s*\d+\s*号"
    r"|密级.*|紧急程度.*|★.*)$"
)
_NOT_TITLE_START = re.compile(r"^(?:根据|按照|为了?|结合|围绕|依据|现将|各|坚持|以)")
_DAY = r"[0-9０-９一二三四五六七八九十]{1,3}"
DATE = rf"(?:[0-9０-９]{{4}}|[〇○零一二三四五六七八九]{{4}})\s*年\s*{_DAY}\s*月\s*{_DAY}\s*日"
DATE_LINE = re.compile(rf"^\s*(?:[^。；;，,]{{0,40}}?\s*)?{DATE}\s*(?:印\s*发|发布)?\s*$")
TRAILER_LINE = re.compile(
    r"^\s*(?:抄\s*送|主\s*题\s*词|印\s*发|报\s*送|分\s*送|[（(]\s*此件|联\s*系\s*人"
    r"|联系电话|扫一扫"
    r"|【?\s*打印|【?\s*关闭|分享到|相关附件|相关链接|上一篇|下一篇)"
)
_ORG_SUFFIX = ("委员会", "部", "办公室", "学院", "大学", "学校", "处", "局", "厅", "中心", "委", "办", "党委", "支部")
FLAT_TRAILER = re.compile(rf"(?<=[。；;）)])[^。；;）)]{{0,40}}{DATE}\s*(?:印\s*发)?\s*$")
YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年|((?:二〇|二○|二零)[〇○零一二三四五六七八九]{2})\s*年")


@dataclass
class Front:
    """Where the plan starts: its title, the index of its first paragraph and text left on that line."""

    title: str | None
    start: int
    remainder: str = ""
    warnings: list[str] = field(default_factory=list)


def _clean_title(title: str) -> str:
    return remove_stray_spaces(title).strip(' 《》〈〉“”"').strip()


def _first_marker_index(paragraphs: list[str]) -> int:
    for i, para in enumerate(paragraphs):
        if LINE_START_MARKER.match(para):
            return i
    return len(paragraphs)


def _find_notice(paragraphs: list[str]) -> Front | None:
    for i, para in enumerate(paragraphs[:25]):
        match = NOTICE.search(para)
        if not match or match.start() > 80:
            continue
        title = _clean_title(match.group("quoted") or match.group("plain"))
        if not re.search(KEYWORDS + "$", title) and not match.group("quoted"):
            continue
        folded = fold(title)
        limit = min(len(paragraphs), i + 60)
        for j in range(i + 1, limit):
            if LINE_START_MARKER.match(paragraphs[j]):
                limit = j
                break
        found, annex_at = None, None
        for j in range(i + 1, limit):
            candidate = fold(ANNEX.sub("", paragraphs[j]))
            if candidate == folded or (candidate.endswith(folded) and len(candidate) - len(folded) <= 12):
                # the attachment's own title line (it may name its owner: 中共某某委员会统战部2024年…要点)
                own = _clean_title(ANNEX.sub("", paragraphs[j]))
                found = Front(
                    own if fold(own).endswith(folded) else title, j + 1, warnings=["已识别印发通知，标题取自附件"]
                )
            elif candidate.startswith(folded) and fold(paragraphs[j]).startswith(folded):
                rest = paragraphs[j].strip()[len(title) :] if paragraphs[j].strip().startswith(title) else ""
                found = Front(title, j + 1, remainder=rest, warnings=["已识别印发通知，标题取自附件"])
            if ANNEX.match(paragraphs[j]) and not fold(ANNEX.sub("", paragraphs[j])):
                annex_at = j
        if found:
            return found
        start = annex_at + 1 if annex_at is not None else i + 1
        return Front(title, start, warnings=["已识别印发通知，标题取自通知"])
    return None


def _usable(para: str) -> bool:
    return not REDHEAD.search(para) and not DATE_LINE.match(para)


def find_front(paragraphs: list[str], site_title: str | None = None) -> Front:
    """Find the plan's title and the paragraph where its text starts."""
    notice = _find_notice(paragraphs)
    if notice:
        return notice
    limit = min(_first_marker_index(paragraphs), 12)
    first_usable: int | None = None
    for i in range(limit):
        para = paragraphs[i].strip()
        if not _usable(para):
            continue
        if first_usable is None:
            first_usable = i
        whole = WHOLE_TITLE.match(remove_stray_spaces(para))
        if whole:
            title = _clean_title(whole.group("title"))
            if i > 0 and first_usable == i - 1 and _is_title_head(paragraphs[i - 1]) and _needs_owner(title):
                title = _clean_title(paragraphs[i - 1]) + title
            return Front(title, i + 1)
        prefix = PREFIX_TITLE.match(para)
        if prefix and i == first_usable and not _NOT_TITLE_START.match(para) and _has_owner_or_year(prefix.group(1)):
            return Front(_clean_title(prefix.group("title")), i + 1, remainder=para[prefix.end() :])
    if site_title and re.search(KEYWORDS, site_title):
        return Front(_clean_title(site_title), 0)
    if first_usable is not None and first_usable < limit:
        para = paragraphs[first_usable].strip()
        if len(para) <= 40 and not re.search(r"[。；;，,：:！!？?]", para) and limit > first_usable + 1:
            return Front(_clean_title(para), first_usable + 1)
    return Front(None, 0)


def _is_title_head(para: str) -> bool:
    para = para.strip()
    return (
        0 < len(para) <= 30
        and not re.search(r"[。；;，,：:！!？?]", para)
        and _usable(para)
        and not LINE_START_MARKER.match(para)
        and not WHOLE_TITLE.match(para)
    )


def _needs_owner(title: str) -> bool:
    """True for a title line that continues the line above it (中共某某委员会⏎2024年工作要点).

    A title that names its owner or starts with 关于 stands alone: the line above is a letterhead.
    """
    return not re.match(r"^关于", title) and not re.search(
        r"学院|学校|大学|委员会|党委|[省市区县州旗镇]委|[部局厅办处]"
        r"|政府|协会|联合会|商会|中心",
        title,
    )


def _has_owner_or_year(text: str) -> bool:
    return bool(re.search(r"(?:19|20)[0-9]{2}|学院|学校|大学|委员会|统战|统一战线|部|局|年度", text))


def find_year(title: str | None, text: str) -> int | None:
    """The plan's year: from its title, or else the first year named in the text."""
    for source in (title or "", text[:3000]):
        match = YEAR.search(source)
        if match:
            if match.group(1):
                return int(match.group(1))
            value = cn_to_int(match.group(2).replace("○", "〇"))
            if value:
                return value
    return None


def _is_signature(para: str) -> bool:
    para = para.strip()
    return (
        len(para) <= 40
        and not re.search(r"[。；;，,：:！!？?]", para)
        and para.endswith(_ORG_SUFFIX)
        and not LINE_START_MARKER.match(para)
    )


def trim_trailer(paragraphs: list[str]) -> tuple[list[str], bool]:
    """Remove the signature, date, 抄送 and 印发 lines after the last item."""
    end = len(paragraphs)
    trimmed = False
    while end > 0:
        para = paragraphs[end - 1].strip()
        if TRAILER_LINE.match(para) or DATE_LINE.match(para) or (trimmed and _is_signature(para)):
            end -= 1
            trimmed = True
            continue
        if end >= 2 and _is_signature(para) and DATE_LINE.match(paragraphs[end - 2].strip() or "x"):
            end -= 1
            trimmed = True
            continue
        break
    out = paragraphs[:end]
    if out:
        cut = FLAT_TRAILER.search(out[-1])
        if cut and len(out[-1]) > 200:
            out[-1] = out[-1][: cut.start()]
            trimmed = True
    return out, trimmed
