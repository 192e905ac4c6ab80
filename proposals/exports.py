"""Exports: the suggestion list (.xlsx), the handling form of one suggestion (办理单, .docx) and the
yearly statistics of members' outside filings (.xlsx). Rows are generated, header first."""

import io
from collections.abc import Iterable

from django.utils import timezone

from core.exports import a4_document, write_xlsx
from proposals.models import Answer, FilingKind, FilingStatus, Proposal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value) if hasattr(value, "hour") else value
    return f"{value.year}年{value.month}月{value.day}日"


def _watermark(user) -> str:
    now = timezone.localtime()
    return f"导出人：{user} · {now.year}年{now.month}月{now.day}日 {now:%H:%M}"


def proposal_rows(proposals: Iterable[Proposal]):
    yield [
        "案号",
        "类型",
        "类别",
        "标题",
        "提出人",
        "提交日期",
        "状态",
        "主办部门",
        "协办部门",
        "办理时限",
        "办理结果",
        "按时答复",
        "满意度",
        "优秀建言",
    ]
    for p in proposals:
        yield [
            p.case_number,
            p.get_kind_display(),
            p.get_category_display(),
            p.title,
            p.submitter.name,
            _date(p.submitted_at),
            p.get_status_display(),
            p.lead_department.name if p.lead_department else "",
            "、".join(d.name for d in p.support_departments.all()),
            _date(p.due_date),
            p.get_outcome_display(),
            {True: "是", False: "否"}.get(p.answered_on_time, ""),
            p.get_rating_display(),
            "是" if p.is_excellent else "",
        ]


def proposal_list_xlsx(proposals, *, user) -> tuple[bytes, int]:
    rows = list(proposal_rows(proposals.iterator(chunk_size=500)))
    data = write_xlsx(
        rows,
        title="建言献策清单",
        watermark=_watermark(user),
        widths=[10, 10, 10, 36, 10, 14, 10, 14, 20, 14, 10, 8, 10, 8],
    )
    return data, len(rows) - 1


def handling_form_rows(proposal: Proposal) -> list[tuple[str, str]]:
    """The standard handling form (办理单) as label/value pairs, in office order."""
    cosigners = [c.person.name for c in proposal.cosigners.all() if c.confirmed_at]
    answers = [a for a in proposal.answers.all() if a.state == Answer.State.RELEASED]
    rows = [
        ("案号", proposal.case_number or "（未立案）"),
        ("类型", proposal.get_kind_display()),
        ("类别", proposal.get_category_display()),
        ("标题", proposal.title),
        (
            "提出人",
            f"{proposal.submitter.name}"
            + (f"（{proposal.submitter.department}）" if proposal.submitter.department else ""),
        ),
        ("联名人", "、".join(cosigners) or "无"),
        ("提交日期", _date(proposal.submitted_at)),
        ("内容", proposal.content),
        ("立案日期", _date(proposal.accepted_at)),
        ("主办部门", proposal.lead_department.name if proposal.lead_department else ""),
        ("协办部门", "、".join(d.name for d in proposal.support_departments.all())),
        ("交办日期", _date(proposal.assigned_at)),
        ("办理时限", _date(proposal.due_date)),
    ]
    if proposal.decline_reason:
        rows.append(("不予立案理由", proposal.decline_reason))
    if proposal.merged_into_id:
        rows.append(("并案", f"并入 {proposal.merged_into.case_number}“{proposal.merged_into.title}”"))
    for answer in answers:
        head = "答复" if answer.round == 1 else "重新办理答复"
        rows.append(
            (
                f"{head}（{answer.department or ''}，{_date(answer.answered_at)}）",
                f"办理结果：{answer.get_outcome_display()}\n{answer.text}",
            )
        )
        if answer.rating:
            rows.append(
                (
                    "提出人评价",
                    f"{answer.get_rating_display()}" + (f"：{answer.rating_comment}" if answer.rating_comment else ""),
                )
            )
    rows.append(
        ("状态", proposal.get_status_display() + (f"（{_date(proposal.closed_at)}办结）" if proposal.closed_at else ""))
    )
    return rows


def handling_form_docx(proposal: Proposal) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = a4_document(font="宋体", size_pt=11, margins_cm=(2.2, 2.2, 2.2, 2.2))

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(f"{proposal.organisation.name}{proposal.get_kind_display()}办理单")
    run.font.size, run.font.bold, run.font.name = Pt(18), True, "黑体"
    run.element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    sub = document.add_paragraph(f"案号：{proposal.case_number or '（未立案）'}")
    sub.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    rows = handling_form_rows(proposal)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value or ""
        for paragraph in cells[0].paragraphs:
            for r in paragraph.runs:
                r.font.bold = True
        cells[0].width, cells[1].width = Cm(3.6), Cm(13)
    document.add_paragraph()
    document.add_paragraph("党委统战部（盖章）            年    月    日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def outside_rows(rows, total):
    kinds, statuses = [str(label) for label in FilingKind.labels], [str(label) for label in FilingStatus.labels]
    yield ["姓名", "所在部门", *kinds, "合计", *statuses, "待核实", "证明材料"]
    for row in [*rows, total]:
        yield [
            row.name,
            row.department,
            *[row.by_kind[k] for k in FilingKind.values],
            row.total,
            *[row.by_status[s] for s in FilingStatus.values],
            row.unverified,
            row.files,
        ]


def outside_statistics_xlsx(rows, total, *, year: int, user) -> bytes:
    return write_xlsx(
        outside_rows(rows, total),
        title=f"{year}年统战成员履职情况统计表",
        watermark=_watermark(user) + " · 类型和办理情况只统计已核实的记录",
        widths=[12, 16, 8, 8, 8, 12, 8, 8, 8, 8, 8, 12, 8, 10],
    )
