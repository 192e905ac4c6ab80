"""Numbering markers: 一、 (一) 1. 1、 1 . (1) 1) ① 1.1 第一部分 一是, and a lost number (".")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import CJK
from .numerals import to_int

CN = "[一二三四五六七八九十]{1,3}"
AR = "[0-9０-９]{1,3}"
_CONTENT = re.compile(f'\\s*[{CJK}“‘"《〈「A-Za-z（(【]')

# kinds
PART, CN_DUN, CN_PAREN, ARABIC, AR_PAREN, CIRCLED, DECIMAL2, DECIMAL3, INLINE, BARE = (
    "part",
    "cn",
    "cnp",
    "ar",
    "arp",
    "cir",
    "dec2",
    "dec3",
    "inline",
    "bare",
)

MARKER = re.compile(
    r"(?=[第（(0-9０-９一二三四五六七八九十①-⑳.．、])"
    rf"(?:(?P<part>第(?P<part_n>{CN})(?:部分|章|篇))\s*[、.．:：]?"
    rf"|(?P<cnp>[（(]\s*(?P<cnp_n>{CN})\s*[）)](?:\s*[、.．](?![0-9]))?)"
    rf"|(?P<arp>[（(]\s*(?P<arp_n>{AR})\s*[）)](?:\s*[、.．](?![0-9]))?)"
    rf"|(?<![0-9０-９.．])(?P<dec>(?P<dec_n>[0-9]{{1,2}}(?:[.．][0-9]{{1,2}}){{1,2}}))(?=\s*[{CJK}“《])"
    rf"|(?<![一二三四五六七八九十百千零〇两第])(?P<cn>(?P<cn_n>{CN})\s*[、.．])(?![一二三四五六七八九十]{{1,3}}\s*[、.．季月和至到]|[0-9])"
    rf"|(?<![0-9０-９.．A-Za-z])(?P<ar>(?P<ar_n>{AR})\s*[.．、])(?![0-9０-９])"
    rf"|(?<![0-9０-９.．A-Za-z%])(?P<arh>(?P<arh_n>{AR})\s*[)）])"
    rf"|(?P<cir>(?P<cir_n>[①-⑳])\s*[、.．]?)"
    rf"|(?<![一二三四五六七八九十百千零〇两第统唯万之])(?P<inline>(?P<inline_n>{CN})是)(?![否非的])"
    rf"|(?<![^。；;）)】\s])(?P<bare>[.．、]|[（(]\s*[）)])(?=\s*[{CJK}“]))"
)


@dataclass
class Marker:
    """A numbering marker found in a paragraph."""

    start: int
    end: int
    kind: str
    number: int
    text: str

    @property
    def inferred(self) -> bool:
        """True for a marker whose number was lost (only its punctuation is left)."""
        return self.kind == BARE


def find_markers(text: str) -> list[Marker]:
    """All candidate markers of a paragraph followed by content, in order; the builder decides."""
    found: list[Marker] = []
    content = _CONTENT.match
    for match in MARKER.finditer(text):
        group = match.lastgroup or ""
        if group != "inline" and group != "bare" and not content(text, match.end()):
            continue
        raw = match.group(group)
        if group == "bare":
            found.append(Marker(match.start(), match.end(), BARE, 0, raw.strip()))
            continue
        digits = match.group(f"{group}_n")
        if group == "dec":
            parts = re.split("[.．]", digits)
            kind = DECIMAL2 if len(parts) == 2 else DECIMAL3
            number = int(parts[-1])
        else:
            kind = {"arh": AR_PAREN}.get(group, group)
            number = to_int(digits) or 0
        if number <= 0:
            continue
        found.append(Marker(match.start(), match.end(), kind, number, raw.rstrip()))
    return found
