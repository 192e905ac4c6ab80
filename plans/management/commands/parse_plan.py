"""manage.py parse_plan PATH [--json]: parse a plan document and print its structure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.parsing import MAX_BYTES, ParsedPlan, ParseError, parse_plan
from plans.parsing.model import Node


class Command(BaseCommand):
    help = "解析工作要点文档（.txt/.docx/.pdf，或 - 表示标准输入），输出提纲或 JSON。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="文件路径；- 表示从标准输入读取")
        parser.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")

    def handle(self, *args, **options) -> None:
        path: str = options["path"]
        data, filename = self._read(path)
        try:
            plan = parse_plan(data, filename=filename)
        except ParseError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(plan.to_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(render_outline(plan))

    def _read(self, path: str) -> tuple[bytes, str | None]:
        try:
            if path == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
                return data, None
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"找不到文件：{path}", returncode=2)
            if file.stat().st_size > MAX_BYTES:
                raise CommandError("文件超过 20 MB，无法导入；请删除图片等内容后再试", returncode=2)
            return file.read_bytes(), file.name
        except OSError as exc:
            raise CommandError(f"无法读取文件：{path}（{exc.strerror or exc}）", returncode=2) from exc


def render_outline(plan: ParsedPlan) -> str:
    """A readable outline: title, then one indented line per node with departments and targets."""
    lines = [f"标题：{plan.title or '（未识别）'}", f"年度：{plan.year or '（未识别）'}"]

    def walk(node: Node, depth: int) -> None:
        extra = []
        if node.departments.lead:
            extra.append("牵头：" + "、".join(node.departments.lead))
        if node.departments.support:
            extra.append("配合：" + "、".join(node.departments.support))
        if node.targets:
            extra.append("指标：" + "；".join(f"{t.text}（{t.count}）" for t in node.targets))
        suffix = f"  [{' | '.join(extra)}]" if extra else ""
        lines.append(f"{'  ' * depth}{node.marker}{node.title}{suffix}")
        for child in node.children:
            walk(child, depth + 1)

    for section in plan.sections:
        walk(section, 0)
    count = sum(1 for _ in plan.walk())
    lines.append(f"共 {len(plan.sections)} 个部分、{count} 个节点。")
    for warning in plan.warnings:
        lines.append(f"提示：{warning}")
    return "\n".join(lines)
