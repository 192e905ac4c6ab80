"""Traditional characters and the pinyin that document sites insert into words.

A plan written in traditional characters (統戰工作要點) is read in simplified form, so that keys such
as 牽頭單位 and numbering words match, and its nodes are given back in the document's own characters.
The conversion is character by character (OpenCC's table, from the opencc-python-reimplemented
package), so the text keeps its length. Pinyin in parentheses after a character (形態(tài)) is
noise of the document sites and is removed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .clean import CJK
from .model import ParsedPlan

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_NOISE = re.compile(
    rf"(?<=[{CJK}])[(（]\s*(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}"
    rf"(?:\s+[a-zü{_TONED}]{{1,7}}){{0,3}}\s*[)）]"
)
MIN_CHANGED = 3  # fewer traditional characters than this: a simplified text with a stray variant


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Traditional → simplified for characters with one unambiguous simplified form."""
    text = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(source) == 1 and candidates and len(candidates[0]) == 1 and source not in candidates:
            table[ord(source)] = candidates[0]
    return table


def simplify(text: str | None) -> str | None:
    return text.translate(_table()) if text else text


def strip_pinyin_noise(text: str) -> str:
    return PINYIN_NOISE.sub("", text)


def to_simplified(texts: list[str]) -> tuple[list[str], dict[str, str]]:
    """The texts in simplified characters, and the map back (simplified → the document's character).

    Texts that are already simplified come back unchanged with an empty map.
    """
    table = _table()
    changed = sum(1 for text in texts for ch in text if ord(ch) in table)
    if changed < MIN_CHANGED:
        return texts, {}
    converted = [text.translate(table) for text in texts]
    present = {ch for text in texts for ch in text}
    back: dict[str, str] = {}
    for text in texts:
        for ch in text:
            simple = table.get(ord(ch))
            if simple and simple not in present:
                back.setdefault(simple, ch)
    return converted, back


def restore(plan: ParsedPlan, back: dict[str, str]) -> None:
    """Give the plan's texts back in the document's own characters."""
    if not back:
        return
    table = str.maketrans(back)

    def t(text):
        return text.translate(table) if text else text

    plan.title = t(plan.title)
    plan.preamble = t(plan.preamble)
    for node in plan.walk():
        node.title = t(node.title)
        node.text = t(node.text)
        node.departments.lead = [t(n) for n in node.departments.lead]
        node.departments.support = [t(n) for n in node.departments.support]
        for target in node.targets:
            target.text = t(target.text)
    if plan.resolved_departments is not None:
        plan.resolved_departments = {t(k): v for k, v in plan.resolved_departments.items()}
        plan.unresolved_departments = [t(n) for n in plan.unresolved_departments or []]
