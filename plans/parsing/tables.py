"""Task tables (任务分解表 / 责任分工表): rows of cells in, paragraphs with numbering out.

Shared by the .docx reader (Word tables) and the text reader (tables pasted with tabs, runs of
spaces or Markdown pipes). Columns are recognised by their header words: 序号, 工作任务/重点工作 (the
task), 具体内容/工作措施 (its text), 牵头单位/责任单位 (lead), 配合单位 (support). Columns of person
titles (责任领导) and dates (完成时限) are not departments and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .markers import CN_DUN, find_markers
from .model import Para
from .numerals import to_int
from .variants import simplify

TABLE_ROW = "tbl"  # the numbering kind of a task row (its title is the whole task cell)
MERGED = "\x00"  # prefix of a cell merged with the one above it (its text repeated)

HEADER_WORDS = {
    "number": ("序号", "编号", "序"),
    "content": (
        "工作任务",
        "工作内容",
        "任务内容",
        "具体任务",
        "重点任务",
        "主要任务",
        "工作要点",
        "具体措施",
        "工作措施",
        "重点工作",
        "工作事项",
        "主要内容",
        "具体内容",
        "目标任务",
        "任务",
        "内容",
        "要点",
        "事项",
        "措施",
        "举措",
        "做法",
        "项目",
        "目标",
    ),
    "lead": (
        "牵头部门",
        "牵头单位",
        "责任部门",
        "责任单位",
        "牵头",
        "责任处室",
        "责任科室",
        "主责部门",
        "负责部门",
        "负责单位",
    ),
    "support": ("配合部门", "配合单位", "协同部门", "参与部门", "协办单位", "配合", "协同", "协办", "协助"),
}
# Columns that are neither task nor department: person titles, dates, remarks.
IGNORED_WORDS = (
    "领导",
    "责任人",
    "负责人",
    "联系人",
    "时限",
    "时间",
    "日期",
    "期限",
    "进度",
    "备注",
    "完成",
    "分值",
    "权重",
)


def header_map(cells: list[str]) -> dict[str, int]:
    """Roles of a task table's header cells: number, content (the task), detail (its measures), lead, support."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = simplify(re.sub(r"\s+", "", cell).removeprefix(MERGED)) or ""
        if not text or len(text) > 12:
            continue
        if any(word in text for word in IGNORED_WORDS) and not any(w in text for w in ("部门", "单位", "处室")):
            continue
        for role in ("support", "lead", "number", "content"):
            if any(word in text for word in HEADER_WORDS[role]):
                if role == "content" and ("部门" in text or "单位" in text):
                    continue
                if role == "content" and "content" in found:
                    found.setdefault("detail", i)  # 工作任务 | 具体措施: the second column is the item's text
                    break
                if role in found:
                    continue
                found[role] = i
                break
    return found


def is_task_header(cells: list[str]) -> bool:
    columns = header_map(cells)
    return "content" in columns and ("lead" in columns or "number" in columns)


def join_cell(texts: list[str]) -> str:
    """The paragraphs of one cell as one text, sentences kept apart."""
    out = ""
    for text in texts:
        if out and out[-1] not in "。；;：:，,、！!？?）)":
            out += "。"
        out += text
    return out


def table_paras(rows: list[list[str]], *, noise: Callable[[str], bool] = lambda _: False) -> list[Para]:
    """Paragraphs of a table: one numbered paragraph per task row (with a department tag), a
    heading per section row; a table that is not a task table gives its cells as plain paragraphs."""
    header_at, columns = None, {}
    for i, row in enumerate(rows[:3]):
        if is_task_header(row):
            header_at, columns = i, header_map(row)
            break
    if "lead" in columns:
        columns = {**columns, "lead_header": re.sub(r"\s+", "", simplify(rows[header_at][columns["lead"]]) or "")}
    out: list[Para] = []
    if header_at is None:
        for row in rows:
            for cell in dict.fromkeys(c for c in row if c and not c.startswith(MERGED)):
                for line in cell.split("\n"):
                    if line.strip() and not noise(line):
                        out.append(Para(line.strip()))
        return out
    header = [re.sub(r"\s+", "", c) for c in rows[header_at]]
    for row in rows[header_at + 1 :]:
        if [re.sub(r"\s+", "", c).removeprefix(MERGED) for c in row] == header:
            continue  # the header repeated at the top of each page
        para = _row_para(row, columns)
        if para is not None:
            out.append(para)
    return out


def _row_para(row: list[str], columns: dict[str, int]) -> Para | None:
    def cell(role: str) -> str:
        index = columns.get(role)
        value = row[index].replace("\n", "") if index is not None and index < len(row) else ""
        if value.startswith(MERGED):
            # one department leading several tasks: a merged department cell counts for every row
            return value[1:] if role in ("lead", "support") else ""
        return value.strip()

    distinct = list(dict.fromkeys(c.strip() for c in row if c.strip() and not c.startswith(MERGED)))
    content = cell("content")
    if len(distinct) == 1 and content in ("", distinct[0]) and cell("number") in ("", distinct[0]) and not cell("lead"):
        return Para(distinct[0].replace("\n", ""))  # a row spanning the table: a section heading
    if not content:
        return None
    detail = cell("detail")
    if detail and detail != content:
        content += ("" if content[-1] in "。；;！!？?" else "。") + detail
    parts = []
    if cell("lead"):
        # 责任单位: the first listed (or the one marked 牵头) leads; 牵头单位: all listed lead
        key = "责任单位" if "责任" in columns.get("lead_header", "") else "牵头部门"
        parts.append(f"{key}：" + cell("lead"))
    if cell("support"):
        parts.append("配合部门：" + cell("support"))
    tag = "（" + "；".join(parts) + "）" if parts else ""
    number_text = cell("number").strip()
    if re.fullmatch(r"[一二三四五六七八九十]{1,3}[、.．]?", number_text) and not cell("lead"):
        # a section row: 一 | 强化思想政治引领 (the title spanning the other columns)
        marker = number_text.rstrip("、.．")
        return Para(content, marker=number_text, number=to_int(marker) or 0, kind=CN_DUN)
    if re.fullmatch(r"[0-9０-９]{1,3}", number_text):
        return Para(content + tag, marker=number_text, number=to_int(number_text) or int(number_text), kind=TABLE_ROW)
    found = find_markers(number_text + "字") if number_text else []
    if found:
        return Para(content + tag, marker=number_text, number=found[0].number, kind=found[0].kind)
    return Para(content + tag)
