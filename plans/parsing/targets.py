"""Counted targets: 召开一次…座谈会, 举办2场…, 不少于3次, 每季度一次 (4 a year), 全年…10篇.

A target's text is its clause (the phrase between punctuation marks) up to the counted measure, so
"…，赴革命老区开展现场教学1次。" gives "赴革命老区开展现场教学1次". A frequency word earlier in the
clause multiplies the count: "每学期至少开展一次谈心谈话" counts 2 a year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Target
from .numerals import to_int

_NUM = r"(?P<num>[0-9０-９]{1,3}|[一二两三四五六七八九十]{1,3})"
_MEASURE = r"(?P<measure>次|场|期|批|轮|篇|项|届|个|条)"
_VERBS = (
    r"(?:召开|举办|开展|组织|举行|承办|主办|推出|编发|编印|刊发|发布|报送|撰写|提交|完成|走访|慰问|培训"
    r"|实施|创建|建设|建立|打造|培育|征集|评选|选树|开设|设立|组建|形成|参加|参观)"
)
_PUNCT = "。；;，,：:、！!？?（）()【】\n"
_FREQ = r"(?P<freq>全年|每季度|每个季度|每月|每个月|每学期|每半年|每年|每周|每两个月|每双月)"
_FREQ_TIMES = {
    "全年": 1,
    "每季度": 4,
    "每个季度": 4,
    "每月": 12,
    "每个月": 12,
    "每学期": 2,
    "每半年": 2,
    "每年": 1,
    "每周": 52,
    "每两个月": 6,
    "每双月": 6,
}
_AFTER_MEASURE_NOT = r"(?!性|数|月|年|小时|百分点|工作日|以上|左右|多|余|方面|意识|自信|维护|确立|务必|一)"

_VERB_START = "(?=[每全召举开组承主推编刊发报撰提完走慰培实创建打征评选设形参])"
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
_HAS_NUMBER = re.compile(r"[0-9０-９一二两三四五六七八九十][次场期批轮篇项届个条]")
_CLAUSE_PUNCT = "。；;，,：:、！!？?（）()【】\n"
_FREQ_BEFORE = re.compile(_FREQ)


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
    if number == 1 and match.group("measure") == "批" and match.group("num") == "一":
        return None  # 推出一批典型案例: "a batch of", not a count
    freq = match.groupdict().get("freq")
    return number * _FREQ_TIMES.get(freq, 1) if freq else number


def find_targets(text: str) -> list[Target]:
    """Return the counted targets of a node's own text, in order, without overlaps."""
    if not text or not _HAS_NUMBER.search(text):
        return []
    return [Target(text=t, count=c) for t, c in _find_targets_cached(text)]


@lru_cache(maxsize=4096)
def _find_targets_cached(text: str) -> tuple[tuple[str, int], ...]:
    return tuple((t.text, t.count) for t in _find_targets(text))


def _find_targets(text: str) -> list[Target]:
    found: list[tuple[int, int, int | None, bool]] = []  # core span, count, has its own frequency

    def add(start: int, end: int, match: re.Match[str]) -> None:
        count = _count(match)
        if count is None or any(s < end and start < e for s, e, _, _ in found):
            return
        found.append((start, end, count, bool(match.groupdict().get("freq"))))

    for match in VERB_FIRST.finditer(text):
        add(match.start(), match.end(), match)
    for match in VERB_LAST.finditer(text):
        add(match.start(), match.end(), match)
    for pattern in (FREQ_ONCE, YEARLY, AT_LEAST):
        for match in pattern.finditer(text):
            left, right = _clause_bounds(text, match.start(), match.end())
            if pattern is FREQ_ONCE:
                left = min(left, match.start())
            add(left, right, match)
    found.sort(key=lambda item: item[0])
    targets: list[Target] = []
    previous_end = 0
    for start, end, count, own_freq in found:
        left = start
        while left > previous_end and text[left - 1] not in _CLAUSE_PUNCT:
            left -= 1
        if not own_freq and left < start:
            freqs = list(_FREQ_BEFORE.finditer(text, left, start))
            if freqs:
                count = (count or 0) * _FREQ_TIMES.get(freqs[-1].group("freq"), 1)
        previous_end = end
        target_text = text[left:end].strip()
        if target_text:
            targets.append(Target(text=target_text, count=count or 0))
    return targets
