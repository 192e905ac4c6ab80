"""The year-end execution table (.xlsx through core.exports)."""

from core.exports import write_xlsx


def _pct(value) -> str:
    return f"{value}%" if value is not None else "—"


def execution_rows(execution: dict):
    yield ["序号", "类别", "预算项目", "对应任务", "预算金额（元）", "已支出（元）", "结余（元）", "执行率"]
    for index, row in enumerate(execution["lines"], start=1):
        line = row["line"]
        yield [
            index,
            line.get_category_display(),
            line.name,
            f"{line.item.number}. {line.item.title}" if line.item else "",
            f"{line.amount:.2f}",
            f"{row['spent']:.2f}",
            f"{row['balance']:.2f}",
            _pct(row["rate"]),
        ]
    yield [
        "",
        "合计",
        "",
        "",
        f"{execution['budget']:.2f}",
        f"{execution['spent']:.2f}",
        f"{execution['balance']:.2f}",
        _pct(execution["rate"]),
    ]


def execution_xlsx(execution: dict, *, year: int, watermark: str) -> bytes:
    return write_xlsx(
        execution_rows(execution),
        title=f"{year}年统战工作经费执行情况表",
        watermark=watermark,
        widths=[6, 12, 28, 30, 14, 14, 14, 10],
    )
