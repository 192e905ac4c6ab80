"""Department tags after an item — (责任部门:A、B), 牵头部门：A；配合部门：B, 【牵头单位】A — and resolution."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Departments


def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in word)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True))


LEAD_KEYS = (
    "牵头部门",
    "牵头单位",
    "牵头处室",
    "牵头科室",
    "牵头",
    "主责部门",
    "主责单位",
    "主办部门",
    "主办单位",
    "负责部门",
    "负责单位",
    "主要责任部门",
    "主要责任单位",
)
RESPONSIBLE_KEYS = (
    "责任部门",
    "责任单位",
    "责任处室",
    "责任科室",
    "责任主体",
    "承办部门",
    "承办单位",
    "实施部门",
    "实施单位",
    "执行部门",
    "落实部门",
    "责任部处",
    "责任单位（部门）",
    "部门",
)
SUPPORT_KEYS = (
    "配合部门",
    "配合单位",
    "配合处室",
    "配合科室",
    "协办部门",
    "协办单位",
    "参与部门",
    "参与单位",
    "协助部门",
    "协助单位",
    "协同部门",
    "协同单位",
    "协作部门",
    "配合",
)
PERSON_KEYS = (
    "责任领导",
    "分管领导",
    "牵头领导",
    "分管校领导",
    "责任人",
    "联系人",
    "负责人",
    "完成时限",
    "完成时间",
    "时间节点",
    "时间要求",
    "时限",
    "进度安排",
    "完成期限",
)

_ROLE_OF = {
    **{k: "lead" for k in LEAD_KEYS},
    **{k: "resp" for k in RESPONSIBLE_KEYS},
    **{k: "support" for k in SUPPORT_KEYS},
    **{k: "person" for k in PERSON_KEYS},
}
_DEPT_KEY = _alternation(LEAD_KEYS + RESPONSIBLE_KEYS + SUPPORT_KEYS)
_ANY_KEY = _alternation(LEAD_KEYS + RESPONSIBLE_KEYS + SUPPORT_KEYS + PERSON_KEYS)
_KEY_COLON = re.compile(rf"(?P<key>{_ANY_KEY})\s*[:：]|【\s*(?P<bkey>{_ANY_KEY})\s*】")
_INNER = r"(?:[^（）()\n]|[（(][^（）()\n]{0,20}[）)])"
PAREN_TAG = re.compile(rf"[（(]\s*(?:{_ANY_KEY})\s*[:：]{_INNER}*?[）)]")
BRACKET_TAG = re.compile(rf"(?:【\s*(?:{_ANY_KEY})\s*】[^【。；;\n]*)+")
TRAILING_TAG = re.compile(rf"(?=[牵责主负承实执落部配协参])(?:(?<=^)|(?<=[。；;.\s]))(?:{_DEPT_KEY})\s*[:：][^\n]*$")
VERB_TAG = re.compile(
    r"[（(](?P<lead>[^（）()\n]{2,60}?)(?:牵头|负责)(?:[，,、；;]\s*(?P<support>[^（）()\n]{2,60}?)"
    r"(?:配合|参与|协助|协同|协办))?[）)]"
)

_SUFFIXES = (
    "部",
    "处",
    "室",
    "委",
    "办",
    "院",
    "系",
    "会",
    "中心",
    "馆",
    "科",
    "所",
    "组",
    "局",
    "厅",
    "校",
    "站",
    "联",
    "协",
    "队",
    "团",
    "社",
    "司",
    "门",
    "位",
    "支部",
    "党委",
    "工会",
    "办公室",
)
_SHORT_NAMES = {"团委", "工会", "校办", "党办", "院办", "纪委", "统战部", "宣传部", "组织部", "教务处", "人事处"}
_PERSONISH = re.compile(r"(?:书记|校长|院长|主任|部长|处长|同志|领导|老师)$")
_STRONG_SEP = re.compile(r"[、，,；;/／|｜]+")
_WEAK_SEP = re.compile(r"(\s+|和|及|与)")
_WEAK_CHARS = re.compile(r"[\s和及与]")
_LEAD_MARK = re.compile(r"[（(]\s*牵\s*头\s*[）)]")
_STRIP = " \t:：、，,；;。.（）()【】[]“”\"'‘’"


_TAG_HINTS = ("部门", "单位", "牵头", "配合", "负责", "责任", "处室", "科室", "主体", "协", "承办")


@dataclass
class TagResult:
    """Departments found in a piece of text, and the text with the tags removed."""

    departments: Departments
    text: str


_TRAILING_NOTE = re.compile(r"[（(][^）)]*[）)]$")
_WS = re.compile(r"\s+")


def looks_like_department(name: str) -> bool:
    """True when a name ends like a department (…部, …处, 团委, 各二级学院 …)."""
    if name.endswith((")", "）")):
        name = _TRAILING_NOTE.sub("", name)
    return (len(name) >= 3 or name in _SHORT_NAMES) and name.endswith(_SUFFIXES)


_NO_DEPARTMENT = {"无", "暂无", "—", "——", "-", "－", "/", "／", "无配合部门", "不涉及"}


def split_names(value: str) -> list[str]:
    """Split a list of department names; spaces left by line wraps inside a name are joined back."""
    names: list[str] = []
    for chunk in _STRONG_SEP.split(value):
        chunk = chunk.strip(_STRIP)
        if not _WEAK_CHARS.search(chunk):
            names.append(chunk)
            continue
        parts = _WEAK_SEP.split(chunk)
        current = parts[0] if parts else ""
        for i in range(1, len(parts) - 1, 2):
            sep, nxt = parts[i], parts[i + 1]
            if looks_like_department(current.strip()) and looks_like_department(nxt.strip()):
                names.append(current)
                current = nxt
            else:
                current = current + ("" if sep.isspace() else sep) + nxt
        names.append(current)
    cleaned = []
    for name in names:
        name = _WS.sub("", name).strip(_STRIP)
        if name and name not in _NO_DEPARTMENT and not _PERSONISH.search(name) and len(name) <= 40:
            cleaned.append(name)
    return cleaned


def _pairs(content: str) -> list[tuple[str, str]]:
    """(role, value) pairs of a tag's content: 牵头部门：A；配合部门：B → [(lead, A), (support, B)]."""
    matches = list(_KEY_COLON.finditer(content))
    pairs = []
    for i, match in enumerate(matches):
        key = _WS.sub("", match.group("key") or match.group("bkey"))
        end = matches[i + 1].start() if i + 1 < len(matches) else len(content)
        pairs.append((_ROLE_OF.get(key, "resp"), content[match.end() : end]))
    return pairs


def _assign(pairs: list[tuple[str, str]]) -> Departments:
    roles = {role for role, _ in pairs}
    lead: list[str] = []
    support: list[str] = []
    for role, value in pairs:
        if role == "person":
            continue
        marked = (
            [m for m in split_names(_LEAD_MARK.sub("〔牵头〕", value)) if m.endswith("〔牵头〕")]
            if "牵" in value
            else []
        )
        names = split_names(_LEAD_MARK.sub("", value) if marked else value)
        if role == "lead" or (role == "resp" and "support" in roles and "lead" not in roles):
            lead += names
        elif role == "support" or (role == "resp" and "lead" in roles):
            support += names
        elif marked:
            marked_names = {m.removesuffix("〔牵头〕") for m in marked}
            lead += [n for n in names if n in marked_names]
            support += [n for n in names if n not in marked_names]
        elif names:
            lead.append(names[0])
            support += names[1:]
    return _dedupe(lead, support)


def _dedupe(lead: list[str], support: list[str]) -> Departments:
    lead = list(dict.fromkeys(lead))
    support = [s for s in dict.fromkeys(support) if s not in lead]
    return Departments(lead=lead, support=support)


def merge(into: Departments, other: Departments) -> Departments:
    """Add another tag's departments to a node's departments, keeping first appearance order."""
    return _dedupe(into.lead + other.lead, into.support + other.support)


def extract_tags(text: str) -> TagResult:
    """Find department tags in an item's text; return them and the text without them."""
    if not any(k in text for k in _TAG_HINTS):
        return TagResult(Departments(), text)
    lead, support, rest = _extract_tags_cached(text)
    return TagResult(Departments(list(lead), list(support)), rest)


@lru_cache(maxsize=4096)
def _extract_tags_cached(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """extract_tags without the copying: plans repeat the same tags and points many times."""
    result = _extract_tags(text)
    return tuple(result.departments.lead), tuple(result.departments.support), result.text


def _extract_tags(text: str) -> TagResult:
    found = Departments()
    spans: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return not any(s < match.end() and match.start() < e for s, e in spans)

    def take(match: re.Match[str], deps: Departments) -> None:
        nonlocal found
        spans.append((match.start(), match.end()))
        found = merge(found, deps)

    if "（" in text or "(" in text:
        for match in PAREN_TAG.finditer(text):
            pairs = _pairs(match.group(0)[1:-1])
            if any(role != "person" for role, _ in pairs) and free(match):
                take(match, _assign(pairs))
    if "【" in text:
        for match in BRACKET_TAG.finditer(text):
            if free(match):
                take(match, _assign(_pairs(match.group(0))))
    if ("牵头" in text or "负责" in text) and ("（" in text or "(" in text):
        for match in VERB_TAG.finditer(text):
            if not free(match):
                continue
            lead = split_names(match.group("lead"))
            support = split_names(match.group("support") or "")
            if lead and all(looks_like_department(n) for n in lead + support):
                take(match, _dedupe(lead, support))
    if "：" in text or ":" in text:
        match = TRAILING_TAG.search(text)
        if match and free(match):
            take(match, _assign(_pairs(match.group(0))))
    if not spans:
        return TagResult(found, text)
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return TagResult(found, "".join(out).strip())


def render_tag(departments: Departments) -> str:
    """Render departments back as a tag: （牵头部门：A、B；配合部门：C）."""
    parts = []
    if departments.lead:
        parts.append("牵头部门：" + "、".join(departments.lead))
    if departments.support:
        parts.append("配合部门：" + "、".join(departments.support))
    return "（" + "；".join(parts) + "）" if parts else ""


# --- resolution against the organisation's departments -------------------------------------------

DepartmentSpec = Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]] | str]


@dataclass
class Resolution:
    """Names resolved to canonical department names, and the names that matched none."""

    resolved: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


_PREFIXES = ("中共", "党委", "学校", "学院", "校", "院")


def fold_name(name: str) -> str:
    """Fold a department name for comparison: width, spaces and brackets."""
    name = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s()\[\]【】《》“”\"'·・.]", "", name)


def _strip_prefix(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) - len(prefix) >= 2:
            return name[len(prefix) :]
    return name


def _entries(departments: DepartmentSpec) -> list[tuple[str, list[str]]]:
    if isinstance(departments, Mapping):
        return [(str(k), [str(a) for a in v]) for k, v in departments.items()]
    entries = []
    for entry in departments:
        if isinstance(entry, str):
            entries.append((entry, []))
        else:
            canonical, aliases = entry
            entries.append((str(canonical), [str(a) for a in aliases or []]))
    return entries


def resolve_departments(names: Iterable[str], departments: DepartmentSpec) -> Resolution:
    """Resolve department names as written against (canonical name, aliases) pairs.

    A name matches a canonical name or alias after folding width and spaces; failing that, after
    removing a prefix such as 党委 or 学校 from both sides; failing that, when it contains or is
    contained in exactly one department's name. Names that match nothing are listed in ``unknown``.
    """
    exact: dict[str, str] = {}
    loose: dict[str, set[str]] = {}
    for canonical, aliases in _entries(departments):
        for variant in [canonical, *aliases]:
            folded = fold_name(variant)
            if folded:
                exact.setdefault(folded, canonical)
                loose.setdefault(_strip_prefix(folded), set()).add(canonical)
    result = Resolution()
    for name in dict.fromkeys(names):
        folded = fold_name(name)
        match = exact.get(folded)
        if match is None:
            candidates = loose.get(_strip_prefix(folded), set())
            if len(candidates) == 1:
                match = next(iter(candidates))
        if match is None and len(folded) >= 3:
            containing = {c for v, c in exact.items() if len(v) >= 3 and (folded in v or v in folded)}
            if len(containing) == 1:
                match = next(iter(containing))
        if match is None:
            result.unknown.append(name)
        else:
            result.resolved[name] = match
    return result
