"""Pinyin keys of a name, for search: 张三 -> ("zs", "zhangsan")."""

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\u3400-\u9fff\uf900-\ufaff]+")

# Surnames whose reading differs from the character's everyday reading (多音字姓氏).
SURNAMES = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "乐": "yue",
    "尉": "yu",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "盖": "ge",
    "秘": "bi",
    "种": "chong",
    "召": "shao",
    "繁": "po",
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
}


def name_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin), lower case without spaces; non-Chinese characters kept as typed."""
    name = "".join(name.split())
    if not name:
        return "", ""
    syllables = []
    for surname in sorted(SURNAMES, key=len, reverse=True):
        if name.startswith(surname):
            reading = SURNAMES[surname]
            syllables = [reading] if isinstance(reading, str) else list(reading)
            name = name[len(surname) :]
            break
    syllables += _syllables(name)
    syllables = [s.lower() for s in syllables if s.strip()]
    initials = "".join(s[0] for s in syllables)
    return initials[:50], "".join(syllables)[:200]


def _syllables(text: str) -> list[str]:
    """One syllable per Chinese character (a name is read character by character; pypinyin's
    phrase segmentation costs 0.5 ms a name), other runs kept as one word."""
    return [_reading(part) for part in HAN.findall(text)]


@lru_cache(maxsize=8192)
def _reading(part: str) -> str:
    if len(part) == 1 and HAN.fullmatch(part) and not part.isascii():
        return lazy_pinyin(part)[0]
    return part
