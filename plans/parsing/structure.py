"""Build the tree of sections, items and points from clean paragraphs.

Labelling conventions (what the parser produces where a document could be read two ways; the corpus
under ``plans/tests/fixtures/corpus`` is labelled the same way):

- Sections are the top level, whatever their numbering (一、, or （一） when a plan has no 一、); items
  nest beneath in the order the numbering styles first appear; ``marker`` is the numbering as written
  (``1 .``, ``(一)``, ``1．``, a table's ``1``), ``number`` its value. An item whose number was lost keeps
  the punctuation left of it as marker (``.``) and gets its number from its position, with a warning.
- Inline points (一是…；二是…) are children of the item they are written in, with marker ``一是``.
  Points written on their item's line ((1)…；(2)…) are children too.
- ``title`` is a heading's own line, or for a run-in heading ("1.持续深化理论武装。把学习…") its first
  sentence without the final punctuation; for a point or an item with no separate title, the first
  sentence of its text.
- Departments are kept as written (stray spaces from line wraps removed). Lead = the names after a
  牵头 key, the one marked （牵头）, or the first listed; support = the rest.
- A tag closing the last point on its item's line (…三是…。（责任部门：A）) is the item's. A tag standing
  on its own line after the last of several untagged siblings (一、…（一）…（二）…⏎责任单位：A) is their
  parent's; when the siblings carry tags of their own, it is the last sibling's.
- Targets are explicit counts only (召开1次…, 举办两期…, 不少于3次, 全年…10篇, 每季度一次 = 4); a target's
  text is its clause, and a frequency word in the clause multiplies the count (每学期至少一次 = 2).
  推出一批… is not a count.
- A task table (序号/工作任务/具体措施/牵头部门/配合部门) gives one item per row: title = the task,
  text = the measures; a row spanning the table, or "一 | title", is a section; a department cell
  merged down over several rows counts for each of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .clean import remove_stray_spaces
from .departments import extract_tags, merge
from .markers import AR_PAREN, ARABIC, BARE, CN_DUN, CN_PAREN, DECIMAL2, DECIMAL3, INLINE, PART, Marker, find_markers
from .model import Departments, Node, Para
from .numerals import int_to_cn
from .targets import find_targets

STRONG_BOUNDARY = set('。；;！!？?：:）)】」』”"')
WEAK_BOUNDARY = set("，,、")
TITLE_END = set("。；;！!？?：:")
OPENERS, CLOSERS = "“‘《〈「『（([【", "”’》〉」』）)]】"
_EDGE_PUNCT = " 　。；;，,：:、.．!！?？\t\n"
_LINE_START_ONLY = {DECIMAL2, DECIMAL3, PART}
_MIDLINE_NO_BOUNDARY = {ARABIC, CN_PAREN, AR_PAREN}
_WS = re.compile(r"\s+")
_ANNEX = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*(?:[:：]|$|\s)")


@dataclass
class _Draft:
    node: Node
    heading: str = ""
    body: list[str] = field(default_factory=list)
    midline_inline: bool = False
    parent: Node | None = None
    alone_tags: list[str] = field(default_factory=list)


@dataclass
class Built:
    """The tree and the text before its first node."""

    sections: list[Node]
    preamble: list[str]
    warnings: list[str]
    node_warnings: list[tuple[Node, str]] = field(default_factory=list)


def split_title(heading: str) -> tuple[str, str]:
    """Split a heading into its title (the first sentence) and the rest of the text.

    Terminators inside quotes or brackets do not end the title, unless a bracket is never closed.
    """
    depth = 0
    quote_open = False
    first_any = -1
    for i, ch in enumerate(heading):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch == '"':
            quote_open = not quote_open
        elif i > 0 and (ch in TITLE_END or _is_sentence_dot(heading, i)):
            if depth == 0 and not quote_open:
                return heading[:i], heading[i + 1 :]
            if first_any < 0:
                first_any = i
    if first_any >= 0 and (depth > 0 or quote_open):
        return heading[:first_any], heading[first_any + 1 :]
    return heading, ""


# Words that start a sentence of body text rather than continue a heading phrase: a heading that
# runs into its body with no punctuation (一、把握一条主线紧紧围绕……，……; （一）夯实组织基础健全……) is
# cut before the first of them that follows a complete heading phrase.
_ADVERB_OPENERS = (
    "紧紧围绕",
    "深入",
    "坚持",
    "围绕",
    "按照",
    "根据",
    "认真",
    "积极",
    "全面",
    "切实",
    "着力",
    "持续",
    "进一步",
    "不断",
    "扎实",
    "大力",
    "充分",
    "及时",
    "定期",
    "注重",
    "立足",
    "结合",
    "通过",
    "依托",
    "继续",
    "始终",
    "主动",
    "努力",
    "广泛",
    "精心",
    "严格",
    "统筹",
    "全年",
    "每年",
    "每学期",
    "今年",
    "本年度",
    "年内",
    "力争",
    "确保",
    "各单位",
    "各部门",
    "各二级",
)
_VERB_OPENERS = (
    "组织",
    "举办",
    "召开",
    "开展",
    "推动",
    "推进",
    "引导",
    "支持",
    "鼓励",
    "加强",
    "做好",
    "落实",
    "建立",
    "健全",
    "完善",
    "发挥",
    "强化",
    "突出",
    "聚焦",
    "用好",
    "抓好",
    "办好",
    "贯彻",
    "学习",
    "深化",
    "构建",
    "提升",
    "指导",
    "修订",
    "制定",
    "配齐",
    "建好",
    "发现",
    "选派",
    "推荐",
    "探索",
    "搭建",
)
# A verb after people (组织党外人士学习…, 支持党外人士开展…) continues the sentence: not a cut.
_PEOPLE = (
    "人士",
    "成员",
    "师生",
    "学生",
    "教师",
    "党派",
    "代表",
    "专家",
    "干部",
    "群众",
    "人员",
    "骨干",
    "委员",
    "会员",
    "同志",
    "职工",
    "校友",
    "侨眷",
    "归侨",
    "学者",
    "青年",
    "党员",
    "领导",
    "基层",
)
# Verb pairs that read as one word: never cut between them (持续深入学习贯彻…).
_COMPOUNDS = {
    "学习贯彻",
    "学习宣传",
    "宣传贯彻",
    "贯彻落实",
    "组织开展",
    "推动落实",
    "引导教育",
    "研究部署",
    "深化拓展",
}
_SUBJECTS = ("党委", "学校", "学院", "各", "全校", "全院", "校领导", "统战部", "我校", "我院")
VERB_HEAD = 6  # before a verb, only a short heading phrase (夯实组织基础, 强化教育培训) is cut off
_NOT_HEAD_END = set("的和与及对在为以并等之")
_PUNCT_RUN = re.compile(r"[，,、。；;：:！!？?“”\"（）()《》]")
RUN_ON_TITLE = 20  # a first sentence longer than this whose first clause is longer than RUN_ON_CLAUSE
RUN_ON_CLAUSE = 8
RUN_ON_HEAD = (4, 14)  # the heading phrase kept as title: 4 to 14 characters
_HEADING_KINDS = {PART, CN_DUN, CN_PAREN, ARABIC, DECIMAL2, DECIMAL3}


def shorten_run_on(title: str, rest: str) -> tuple[str, str]:
    """Cut a heading that runs into its body without punctuation; return (title, rest of the text)."""
    first_run = _PUNCT_RUN.split(title, maxsplit=1)[0]
    if len(title) <= RUN_ON_TITLE or len(first_run) <= RUN_ON_CLAUSE:
        return title, rest
    cuts = []
    for cut in range(RUN_ON_HEAD[0], min(RUN_ON_HEAD[1], len(first_run) - 3) + 1):
        head = first_run[:cut]
        if head[-1] in _NOT_HEAD_END or head.endswith(_ADVERB_OPENERS) or first_run[cut - 2 : cut + 2] in _COMPOUNDS:
            continue
        if head.endswith(_PEOPLE) or head.startswith(_SUBJECTS):
            continue  # 组织党外专家围绕…, 党委常委会定期…: the sentence goes on, it is not a heading
        adverb = first_run.startswith(_ADVERB_OPENERS, cut)
        verb = cut <= VERB_HEAD and first_run.startswith(_VERB_OPENERS, cut)
        if adverb or verb:
            cuts.append(cut)
    if not cuts:
        return title, rest
    # headings are mostly 6 characters or more (加强政治引导|健全…, not 加强政治|引导…)
    cut = next((c for c in cuts if c >= 6), cuts[0])
    return title[:cut], title[cut:] + ("。" + rest if rest else "")


def _is_sentence_dot(text: str, i: int) -> bool:
    if text[i] != ".":
        return False
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return not before.isdigit() and not after.isdigit() and not before.isascii()


def fold(text: str) -> str:
    """Fold punctuation width and remove spaces, for comparing titles."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


class TreeBuilder:
    """Walks paragraphs, accepts markers that fit the numbering so far, and opens nodes."""

    def __init__(self, paras: list[Para], *, flat: bool) -> None:
        self.paras = paras
        self.flat = flat
        self.sections: list[Node] = []
        self.preamble: list[str] = []
        self.stack: list[tuple[str, _Draft]] = []
        self.drafts: list[_Draft] = []
        self.last_by_kind: dict[str, int] = {}
        self.inferred: list[Node] = []
        self.warnings: list[str] = []
        self.node_warnings: list[tuple[Node, str]] = []  # the warnings that concern one node
        self.run_in_points: set[int] = set()  # nodes opened on the same line as their parent

    # --- numbering state ---------------------------------------------------------------------
    def _stack_index(self, kind: str) -> int | None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == kind:
                return i
        return None

    def _fits(self, kind: str, number: int) -> tuple[bool, bool]:
        """(fits as the next sibling, fits as the first child / a continued sequence)."""
        index = self._stack_index(kind)
        if index is not None:
            return number == self.stack[index][1].node.number + 1, False
        return False, number == 1 or number == self.last_by_kind.get(kind, -5) + 1

    def _bare_kind(self, text: str) -> str | None:
        wanted = (ARABIC, CN_DUN) if text in ".．、" else (AR_PAREN, CN_PAREN)
        for kind, _ in reversed(self.stack):
            if kind in wanted:
                return kind
        return None

    def _accept(self, m: Marker, text: str, next_text: str, at_start: bool) -> bool:
        if m.kind == INLINE:
            if not self.stack:
                return False
            if not at_start:
                prev = text[: m.start].rstrip()[-1:]
                if prev not in STRONG_BOUNDARY and prev not in WEAK_BOUNDARY:
                    return False
            index = self._stack_index(INLINE)
            if index is not None and self.stack[index][1].node.number + 1 == m.number:
                return True
            return m.number == 1 and _has_second_point(text[m.end :], next_text)
        if m.kind == BARE:
            prev = text[: m.start].rstrip()[-1:]
            ok_place = at_start or (self.flat and prev in "。；;）)】")
            return ok_place and self._bare_kind(m.text) is not None
        if at_start:
            return True
        if m.kind in _LINE_START_ONLY or (m.kind == AR_PAREN and m.text[:1] not in "（("):
            return False
        fit_next, fit_new = self._fits(m.kind, m.number)
        if not (fit_next or fit_new):
            return False
        before = text[: m.start]
        prev = before.rstrip()[-1:]
        if prev in STRONG_BOUNDARY:
            return True
        if fit_next and (prev in WEAK_BOUNDARY or before.endswith(" ") or self.flat):
            return True
        return self.flat and fit_new and m.kind in _MIDLINE_NO_BOUNDARY

    # --- nodes --------------------------------------------------------------------------------
    def _open(self, kind: str, number: int, marker: str, midline: bool) -> _Draft:
        index = self._stack_index(kind)
        if index is not None:
            prev_number = self.stack[index][1].node.number
            del self.stack[index:]
        node = Node(marker=marker, number=number, title="", kind=kind)
        if index is not None and number not in (prev_number + 1, 1) and kind != BARE:
            message = f"编号不连续：“{marker}”前一项是 {prev_number}"
            self.warnings.append(message)
            self.node_warnings.append((node, message))
        parent = self.stack[-1][1].node if self.stack else None
        if parent is not None:
            parent.children.append(node)
        else:
            self.sections.append(node)
        draft = _Draft(node, midline_inline=midline and kind == INLINE, parent=parent)
        self.stack.append((kind, draft))
        self.drafts.append(draft)
        self.last_by_kind[kind] = number
        return draft

    def _append_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.stack:
            draft = self.stack[-1][1]
            if (draft.heading or draft.body) and _is_tag_only(text):
                draft.alone_tags.append(text)
                return
            if not draft.heading and not draft.body:
                draft.heading = text
            else:
                draft.body.append(text)
        else:
            self.preamble.append(text)

    def _para_markers(self, index: int, para: Para) -> list[Marker]:
        text = para.text
        next_text = self.paras[index + 1].text if index + 1 < len(self.paras) else ""
        accepted: list[Marker] = []
        if para.marker is not None and para.number is not None:
            explicit = Marker(0, 0, para.kind or f"docx:{para.marker}", para.number, para.marker)
            accepted.append(explicit)
            self._open_marker(explicit, midline=False)
        found = find_markers(text)
        runs = _numbered_runs(found, text, next_text)
        for m in found:
            if accepted and m.start < accepted[-1].end:
                continue
            at_start = not text[: m.start].strip() and not accepted
            if self._accept(m, text, next_text, at_start) or (
                not at_start and m.start in runs and any(self._fits(m.kind, m.number))
            ):
                if m.kind == BARE:
                    kind = self._bare_kind(m.text) or ARABIC
                    index_ = self._stack_index(kind)
                    number = self.stack[index_][1].node.number + 1 if index_ is not None else 1
                    m = Marker(m.start, m.end, f"bare:{kind}", number, m.text)
                accepted.append(m)
                self._open_marker(m, midline=not at_start)
        return accepted

    def _open_marker(self, m: Marker, *, midline: bool) -> None:
        kind = m.kind.removeprefix("bare:")
        draft = self._open(kind, m.number, m.text, midline)
        if m.kind.startswith("bare:"):
            self.inferred.append(draft.node)

    def build(self) -> Built:
        """Run over all paragraphs and return the finished tree."""
        for index, para in enumerate(self.paras):
            if self.sections and _ANNEX.match(para.text):
                self.warnings.append("已忽略正文之后的附件部分")
                break
            pieces = self._split(index, para)
            for piece in pieces:
                self._append_text(piece)
            while self.stack and self.stack[-1][1].midline_inline:
                self.stack.pop()
        alone: set[int] = set()
        for draft in self.drafts:
            if _finish(draft):
                alone.add(id(draft.node))
        _lift_inline_tags(self.sections, self.run_in_points)
        _lift_closing_tags(self.sections, alone)
        self._warn_inferred()
        return Built(self.sections, self.preamble, self.warnings, self.node_warnings)

    def _split(self, index: int, para: Para) -> list[str]:
        """Open the paragraph's nodes and give each its heading; return text that has no marker."""
        text = para.text
        owner = self.stack[-1][1] if self.stack else None
        before_open = len(self.drafts)
        markers = self._para_markers(index, para)
        if not markers:
            return [text]
        new_drafts = self.drafts[before_open:]
        if not self.flat and len(new_drafts) > 1:
            opened = {id(d.node) for d in new_drafts}
            self.run_in_points.update(id(d.node) for d in new_drafts if d.parent is not None and id(d.parent) in opened)
        lead_text = text[: markers[0].start].strip()
        if lead_text:
            # text before the first marker belongs to the node that was current before this paragraph
            if owner is None:
                self.preamble.append(lead_text)
            elif not owner.heading:
                owner.heading = lead_text
            else:
                owner.body.append(lead_text)
        for i, (m, draft) in enumerate(zip(markers, new_drafts, strict=False)):
            end = markers[i + 1].start if i + 1 < len(markers) else len(text)
            draft.heading = text[m.end : end].strip()
        return []

    def _warn_inferred(self) -> None:
        for node in self.inferred:
            path = _path_of(self.sections, node)
            message = f"{path}缺少编号，已按位置推断为{node.number}"
            self.warnings.append(message)
            self.node_warnings.append((node, message))


_RUN_KINDS = {CN_DUN, CN_PAREN, ARABIC, AR_PAREN}


def _numbered_runs(markers: list[Marker], text: str, next_text: str = "") -> set[int]:
    """Start offsets of markers numbered in sequence within one line (1.…2.…3.…, （一）…（二）…):
    text extracted from PDFs and web pages often loses the line breaks between items. A run starts
    at 1 (or continues a number) and each later marker stands after a sentence end or a space."""
    out: set[int] = set()
    by_kind: dict[str, list[Marker]] = {}
    for m in markers:
        if m.kind in _RUN_KINDS:
            by_kind.setdefault(m.kind, []).append(m)
    for kind, found in by_kind.items():
        run: list[Marker] = []
        for m in found:
            prev = text[: m.start].rstrip()[-1:]
            spaced = text[: m.start].endswith((" ", "\u3000"))
            if run and m.number == run[-1].number + 1 and (prev in STRONG_BOUNDARY or spaced):
                run.append(m)
                continue
            if len(run) >= 2:
                out.update(x.start for x in run)
            first_ok = prev in STRONG_BOUNDARY or prev in WEAK_BOUNDARY or spaced or kind in (CN_PAREN, AR_PAREN)
            run = [m] if first_ok or m.number == 1 else []
        if len(run) >= 2:
            out.update(x.start for x in run)
        elif run and _continues_on_next_line(run[-1], text, next_text):
            out.add(run[-1].start)
    return out


def _continues_on_next_line(m: Marker, text: str, next_text: str) -> bool:
    """A marker after a space whose next number starts the next line (一、…基础 1.深化…⏎2.开展…)."""
    if not text[: m.start].endswith((" ", "\u3000")):
        return False
    following = find_markers(next_text.lstrip()[:12])
    return (
        bool(following)
        and following[0].start == 0
        and following[0].kind == m.kind
        and following[0].number == m.number + 1
    )


def _has_second_point(after: str, next_text: str) -> bool:
    return "二是" in after or next_text.lstrip().startswith("二是")


def _is_tag_only(text: str) -> bool:
    """True for a paragraph that is nothing but a department tag (（牵头部门：A；配合部门：B）)."""
    tag = extract_tags(text)
    return bool(tag.departments.lead or tag.departments.support) and not tag.text.strip(_EDGE_PUNCT + "（）()【】")


def _finish(draft: _Draft) -> bool:
    """Fill in the node's title, text, departments and targets.

    Returns True when its departments come only from tag paragraphs standing on their own lines
    after it (which may close a whole list rather than this node: see ``_lift_closing_tags``).
    """
    node = draft.node
    heading = draft.heading
    body = [b for b in draft.body if b.strip()]
    if not heading.strip(_EDGE_PUNCT) and body:
        heading, body = body[0], body[1:]
    departments = Departments()
    tag = extract_tags(heading.lstrip(_EDGE_PUNCT))
    departments = merge(departments, tag.departments)
    heading = remove_stray_spaces(tag.text)
    body_texts = []
    for piece in body:
        tag = extract_tags(piece)
        departments = merge(departments, tag.departments)
        cleaned = remove_stray_spaces(tag.text)
        if cleaned.strip(_EDGE_PUNCT):
            body_texts.append(cleaned)
    title, rest = split_title(heading)
    if node.kind in _HEADING_KINDS or node.kind.startswith("md-h"):  # a point's title is its first sentence
        title, rest = shorten_run_on(title, rest)
    node.title = title.strip(_EDGE_PUNCT)
    rest = rest.strip(" ")
    node.text = "\n".join(([rest] if rest.strip(_EDGE_PUNCT) else []) + body_texts)
    own = bool(departments.lead or departments.support)
    for piece in draft.alone_tags:
        departments = merge(departments, extract_tags(piece).departments)
    node.departments = departments
    node.targets = find_targets(node.title + "。" + node.text)
    return bool(draft.alone_tags) and not own


def _lift_closing_tags(nodes: list[Node], alone: set[int]) -> None:
    """A tag on its own line after the last of several untagged siblings closes their parent:

    一、…（一）…（二）…（三）…⏎责任单位：A、B — the tag is the section's, not the third item's.
    When the siblings or their points carry tags of their own, the tag stays with the last one.
    """
    for node in nodes:
        _lift_closing_tags(node.children, alone)
        children = node.children
        if len(children) < 2 or node.departments.lead or node.departments.support:
            continue
        last = children[-1]
        if id(last) not in alone or last.children:
            continue
        if any(n.departments.lead or n.departments.support for c in children[:-1] for n in c.walk()):
            continue  # the siblings (or their points) carry tags of their own: the tag is the last one's
        node.departments, last.departments = last.departments, Departments()


def _lift_inline_tags(nodes: list[Node], run_in: set[int]) -> None:
    """A tag after the last inline point (…三是…。（责任部门：A）) belongs to the item, not the point.

    The same holds for points written on their item's line (1.…：（1）…；（2）…。（责任部门：A）).
    """
    for node in nodes:
        _lift_inline_tags(node.children, run_in)
        points = [c for c in node.children if c.kind == INLINE or id(c) in run_in]
        if len(points) < 2 or node.departments.lead or node.departments.support:
            continue
        tagged = [p for p in points if p.departments.lead or p.departments.support]
        if tagged == [points[-1]]:
            node.departments, points[-1].departments = points[-1].departments, Departments()


def _path_of(sections: list[Node], target: Node) -> str:
    def walk(nodes: list[Node], trail: list[int]) -> list[int] | None:
        for i, node in enumerate(nodes, 1):
            if node is target:
                return [*trail, i]
            found = walk(node.children, [*trail, i])
            if found:
                return found
        return None

    trail = walk(sections, []) or []
    labels = ["部分", "项", "点", "小点"]
    return "".join(f"第{int_to_cn(n) if depth == 0 else n}{labels[min(depth, 3)]}" for depth, n in enumerate(trail))


def drop_outline(sections: list[Node]) -> tuple[list[Node], bool, str]:
    """Drop a 提纲/outline block at the top that repeats the section titles without any body.

    Returns the sections, whether a block was dropped, and the text that followed the block's last
    title (the plan's preamble, which came after the outline and was read as that title's text).
    """
    for restart in range(1, len(sections)):
        current, previous = sections[restart], sections[restart - 1]
        if current.kind != sections[0].kind or current.number > previous.number:
            continue
        block = sections[:restart]
        nodes = [n for top in block for n in top.walk()]
        empty = all(not n.departments.lead and not n.departments.support for n in nodes) and all(
            not n.text and not n.targets for n in nodes[:-1]
        )
        later = {fold(n.title) for n in sections[restart:]}
        repeated = sum(1 for n in block if fold(n.title) in later)
        if empty and (repeated * 2 >= len(block) or all(not n.children for n in block)):
            if nodes[-1].text and not nodes[-1].children and fold(nodes[-1].title) not in later:
                return sections, False, ""  # the last title has a body of its own: not an outline
            return sections[restart:], True, nodes[-1].text
        return sections, False, ""
    return sections, False, ""
