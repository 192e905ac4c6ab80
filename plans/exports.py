"""The task breakdown table (任务分解表): 序号, 工作任务, 具体内容, 牵头部门, 配合部门, 完成时限, 进展情况, 状态."""

from django.utils import timezone

from core.exports import write_docx_table, write_xlsx
from plans.models import Item, Plan, ProgressReport, source_text

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
HEADER = ["序号", "工作任务", "具体内容", "牵头部门", "配合部门", "完成时限", "进展情况", "状态"]
XLSX_WIDTHS = [6, 28, 60, 14, 22, 14, 36, 9]
DOCX_WIDTHS_CM = [1.2, 4.2, 8.5, 2.4, 3.0, 2.4, 4.0, 1.4]


def _latest_reports(plan: Plan) -> dict[int, ProgressReport]:
    latest = {}
    for report in ProgressReport.objects.filter(item__plan=plan).order_by("item_id", "-created_at"):
        latest.setdefault(report.item_id, report)
    return latest


def breakdown_rows(plan: Plan):
    """Header first, then one row per section (as a heading row) and per item."""
    yield HEADER
    today = timezone.localdate()
    latest = _latest_reports(plan)
    items = Item.objects.filter(plan=plan).with_lists()
    by_section: dict[int, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.section_id, []).append(item)
    for section in plan.sections.all():
        yield [section.marker.strip() or str(section.number), section.title, "", "", "", "", "", ""]
        for item in by_section.get(section.pk, []):
            report = latest.get(item.pk)
            # 进展情况: the latest report's text (what was done), after achieved/target and percentage.
            progress = item.progress_text
            if report:
                when = timezone.localtime(report.created_at)
                progress += f"\n{when:%Y-%m-%d} {source_text(report.get_kind_display())}：{report.text[:500]}"
            targets = "；".join(f"{t.text}（{t.achieved}/{t.count}）" for t in item.targets.all())
            yield [
                item.number,
                f"{section.title} / {item.title}",
                item.text + (f"\n量化目标：{targets}" if targets else ""),
                item.lead_department.name if item.lead_department else "",
                "、".join(d.name for d in item.support_departments.all()),
                f"{item.due_date.year}年{item.due_date.month}月{item.due_date.day}日",
                progress,
                source_text(Item.Status(item.status_on(today)).label),
            ]


def breakdown(plan: Plan, *, fmt: str, by=None) -> tuple[bytes, str]:
    """The table as .xlsx or .docx bytes, with its content type."""
    stamp = timezone.localtime()
    mark = f"导出：{getattr(by, 'name', '') or getattr(by, 'username', '') or '系统'}　{stamp:%Y年%m月%d日 %H:%M}"
    title = f"{plan.title}任务分解表" if "任务分解" not in plan.title else plan.title
    if fmt == "xlsx":
        return write_xlsx(breakdown_rows(plan), title=title, watermark=mark, widths=XLSX_WIDTHS), FORMATS[fmt]
    return write_docx_table(breakdown_rows(plan), title=title, subtitle=mark, widths_cm=DOCX_WIDTHS_CM), FORMATS[fmt]
