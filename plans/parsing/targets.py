"""Counted targets: 召开一次…座谈会, 举办2场…, 不少于3次, 每季度一次 (4 a year), 全年…10篇."""

from __future__ import annotations

import re

from .model import Target
from .numerals import to_int

_NUM = r"(?P<num>[0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3})"
_MEASURE = r"(?P<measure>次|场|期|批|轮|篇|项|届|个)"
_VERBS = r"(?:召开|举办|开展|组织|举行|承办|主办|推出|编发|编印|刊发|发布|报送|撰写|提交|完成|走访|慰问|培训)"
_PUNCT = "。；;，,：:、！!？?（）()【】\n"
_FREQ = r"(?P<freq>全年|每季度|每个季度|每月|每个月|每学期|每半年|每年|每周|每两个月|每双月)"
_FREQ_TIMES = {"全年": 1, "每季度": 4, "每个季度": 4, "每月": 12, "每个月": 12, "每学期": 2, "每半年": 2,
               "每年": 1, "每周": 52,
               "每两个月": 6, "每双月": 6}
_AFTER_MEASURE_NOT = r"(?!性|数|月|年|小时|百分点|工作日|以上|左右|多|余|方面|意识|自信|维护|确立|务必|一)"

_VERB_START = "(?=[每全召举开组承主推编刊发报撰提完走慰培])"
VERB_FIRST = re.compile(
    rf"{_VERB_START}(?:{_FREQ}\s*)?(?P<verb>{_VERBS}){_NUM}{_MEASURE}{_AFTER_MEASURE_NOT}[^{_PUNCT}]*"
)
VERB_LAST = re.compile(
    rf"{_VERB_START}(?:{_FREQ}\s*)?(?P<verb>{_VERBS})[^{_PUNCT}0-9０-９]{{1,24}}?(?P<min>不少于|不低于|至少|达到|共|累计)?{_NUM}{_MEASURE}"
    rf"(?:以上)?(?=[{_PUNCT}]|$)"
)
AT_LEAST = re.compile(rf"(?=[不至])(?P<min>不少于|至少|不低于){_NUM}{_MEASURE}{_AFTER_MEASURE_NOT}")
FREQ_ONCE = re.compile(rf"(?=[每全]){_FREQ}(?:[^{_PUNCT}]{{0,20}}?){_NUM}{_MEASURE}{_AFTER_MEASURE_NOT}")
YEARLY = re.compile(rf"全年[^{_PUNCT}]{{0,24}}?{_NUM}{_MEASURE}{_AFTER_MEASURE_NOT}")
_HAS_NUMBER = re.compile(r"[0-9０-９一二两三四五六七八九十][次场期批轮篇项届个]")


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and text[left - 1] not in _PUNCT:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _PUNCT:
        right += 1
    return left, right


def _count(match: re.Match[str]) -> int | None:
    number = to_int(match.group("num"))
    if number is None or number <= 0:
        return None
    freq = match.groupdict().get("freq")
    return number * _FREQ_TIMES.get(freq, 1) if freq else number


def find_targets(text: str) -> list[Target]:
    """Return the counted targets of a node's own text, in order, without overlaps."""
    if not text or not _HAS_NUMBER.search(text):
        return []
    found: list[tuple[int, int, Target]] = []

    def add(start: int, end: int, target_text: str, count: int | None) -> None:
        if count is None or any(s < end and start < e for s, e, _ in found):
            return
        found.append((start, end, Target(text=target_text.strip(), count=count)))

    for match in VERB_FIRST.finditer(text):
        add(match.start(), match.end(), match.group(0), _count(match))
    for match in VERB_LAST.finditer(text):
        add(match.start(), match.end(), match.group(0), _count(match))
    for pattern in (FREQ_ONCE, YEARLY, AT_LEAST):
        for match in pattern.finditer(text):
            left, right = _clause_bounds(text, match.start(), match.end())
            if pattern is FREQ_ONCE:
                left = min(left, match.start())
            add(left, right, text[left:right], _count(match))
    found.sort(key=lambda item: item[0])
    return [target for _, _, target in found]
