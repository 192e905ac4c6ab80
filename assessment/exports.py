"""Word and Excel documents of the assessment module: the responsibility letter (one per
department), the scoring sheet (.xlsx through core.exports) and the results notice (.docx)."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from assessment.models import Adjustment, Grade, Metric
from core.exports import a4_document, write_xlsx

CN_NUMBERS = "一二三四五六七八九十"


def num(value) -> str:
    """A Decimal without trailing zeros: 30.00 → 30, 82.50 → 82.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _font(run, name="仿宋", size=16, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document(*, landscape: bool = False) -> Document:
    """An A4 document in the official layout: 仿宋 三号 body, margins 3.7/3.5/2.8/2.6 cm."""
    document = a4_document(font="仿宋", size_pt=16, margins_cm=(3.7, 3.5, 2.8, 2.6), landscape=landscape)
    style = document.styles["Normal"]
    # Paragraph styles (set once, not per run: a long summary stays fast to write).
    from docx.enum.style import WD_STYLE_TYPE

    indented = document.styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    indented.base_style = style
    indented.paragraph_format.first_line_indent = Pt(32)
    head = document.styles.add_style(HEADING_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = style
    head.font.name = "黑体"
    head.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    document.tongxin_styles = {BODY_STYLE: indented, HEADING_STYLE: head}
    return document


BODY_STYLE = "正文首行缩进"
HEADING_STYLE = "标题黑体"


def title(document, text: str, size: int = 22) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), "方正小标宋简体", size)


def heading(document, text: str) -> None:
    document.add_paragraph(text)._p.style = document.tongxin_styles[HEADING_STYLE].style_id


def body(document, text: str, *, indent: bool = True) -> None:
    paragraph = document.add_paragraph(text)
    if indent:
        # Set the style id on the XML: python-docx's style setter scans every style per call.
        paragraph._p.style = document.tongxin_styles[BODY_STYLE].style_id


def table(document, rows: list[list], widths_cm: list[float], size: int = 12) -> None:
    grid = document.add_table(rows=0, cols=len(rows[0]))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, row in enumerate(rows):
        cells = grid.add_row().cells
        for cell, value, width in zip(cells, row, widths_cm, strict=False):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            if index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(str(value)), "黑体" if index == 0 else "仿宋", size, bold=False)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rule_text(indicator) -> str:
    if indicator.metric == Metric.MANUAL:
        return "统战部根据工作实绩评定"
    if indicator.metric == Metric.EVENTS_HELD:
        return f"系统按台账计算：{indicator.get_metric_display()}，{indicator.target_count}场满分"
    return f"系统按台账计算：{indicator.get_metric_display()}"


def letter_docx(letter, *, tasks: dict, scheme) -> bytes:
    """The responsibility letter: title, preamble, numbered task table, assessment rules,
    signature blocks (党委 / 责任部门负责人, date)."""
    plan, department = letter.plan, letter.department
    document = new_document()
    title(document, f"{plan.organisation.name}")
    title(document, f"{plan.year}年统战工作目标责任书")
    body(document, f"责任部门：{department.name}", indent=False)
    preamble = (scheme.letter_preamble if scheme else "") or (
        f"为全面落实学校{plan.year}年统战工作要点，压实各部门统战工作责任，制定本目标责任书。"
    )
    for line in preamble.splitlines():
        if line.strip():
            body(document, line.strip())

    heading(document, "一、目标任务")
    rows = [["序号", "工作任务", "具体内容和量化目标", "责任", "完成时限"]]
    number = 0
    for role, tasks_of_role in (("牵头", tasks["lead"]), ("配合", tasks["support"])):
        for task in tasks_of_role:
            number += 1
            detail = "；".join(task["targets"]) or task["text"][:120]
            responsibility = role if role == "牵头" else f"配合（牵头：{task['lead'] or '—'}）"
            rows.append([number, task["title"], detail, responsibility, cn_date(task["due_date"])])
    if number == 0:
        rows.append(["—", "本年度无牵头或配合任务", "", "", ""])
    table(document, rows, [1.2, 4.5, 5.6, 2.4, 2.6], size=11)

    heading(document, "二、考核办法")
    if scheme is not None:
        indicators = list(scheme.indicators.all())
        for index, indicator in enumerate(indicators, start=1):
            body(
                document,
                f"{index}. {indicator.name}（权重{num(indicator.weight)}）：{indicator.description or ''}"
                f"{'；' if indicator.description else ''}{_rule_text(indicator)}。",
            )
        cap = f"，优秀等次不超过参评部门的{scheme.excellent_cap}%" if scheme.excellent_cap else ""
        body(
            document,
            f"考核总分 = 各项指标得分率 × 权重之和 + 加分 − 扣分。{num(scheme.excellent_min)}分及以上为优秀，"
            f"{num(scheme.good_min)}分及以上为良好，{num(scheme.pass_min)}分及以上为合格，以下为不合格{cap}。"
            f"考核结果公布后{scheme.appeal_days}日内，责任部门可提出一次申诉。",
        )
    else:
        body(document, "年度考核办法另行通知。")

    heading(document, "三、其他")
    body(document, "本责任书一式两份，党委统战部和责任部门各执一份，自签订之日起生效。")
    document.add_paragraph()
    signatures = document.add_table(rows=1, cols=2)
    left, right = signatures.rows[0].cells
    for cell, lines in (
        (left, ["中共" + plan.organisation.name + "委员会（盖章）", "负责人（签字）：", "年　　月　　日"]),
        (right, [f"责任部门：{department.name}（盖章）", "部门负责人（签字）：", "年　　月　　日"]),
    ):
        cell.paragraphs[0].text = ""
        for i, text in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            _font(paragraph.add_run(text), "仿宋", 14)
    return to_bytes(document)


def letter_document(letter) -> bytes:
    """The .docx of one letter, with the year's scheme (preamble, indicators) if there is one."""
    from assessment.models import Scheme
    from plans.queries import department_tasks

    scheme = Scheme.objects.for_org(letter.plan.organisation).filter(year=letter.plan.year).first()
    return letter_docx(letter, tasks=department_tasks(letter.plan, letter.department_id), scheme=scheme)


def letter_filename(letter) -> str:
    return f"{letter.plan.year}年统战工作目标责任书（{letter.department.name}）.docx"


def scoring_rows(scheme, assessments):
    indicators = list(scheme.indicators.all())
    yield [
        "排名",
        "部门",
        *[f"{i.name}（满分{num(i.max_points)}，权重{num(i.weight)}）" for i in indicators],
        "加分",
        "扣分",
        "总分",
        "等次",
        "状态",
    ]
    for a in assessments:
        scores = {s.indicator_id: s.points for s in a.scores.all()}
        bonus = sum((x.points for x in a.adjustments.all() if x.kind == Adjustment.Kind.BONUS), 0)
        deduction = sum((x.points for x in a.adjustments.all() if x.kind == Adjustment.Kind.DEDUCTION), 0)
        yield [
            a.rank or "",
            a.department.name,
            *[str(scores[i.pk]) if i.pk in scores else "" for i in indicators],
            str(bonus) if bonus else "",
            str(deduction) if deduction else "",
            str(a.total) if a.total is not None else "",
            a.get_grade_display() if a.grade else "",
            a.get_status_display(),
        ]


def scoring_xlsx(scheme, assessments, *, watermark: str) -> bytes:
    columns = 7 + scheme.indicators.count()
    return write_xlsx(
        scoring_rows(scheme, assessments),
        title=f"{scheme.year}年度统战工作考核评分表",
        watermark=watermark,
        widths=[6, 18] + [14] * (columns - 2),
    )


def results_docx(scheme, assessments) -> bytes:
    """The results notice (考核结果通报)."""
    document = new_document()
    title(document, f"关于{scheme.year}年度统战工作目标责任考核结果的通报", size=20)
    body(document, "各部门：", indent=False)
    ranked = [a for a in assessments if a.total is not None]
    excellent = "、".join(a.department.name for a in ranked if a.grade == Grade.EXCELLENT) or "无"
    body(
        document,
        f"根据《{scheme.title}》，统战部对{len(ranked)}个部门的{scheme.year}年度统战工作进行了考核。"
        f"经部门自评、统战部评分，评定{excellent}为优秀等次。现将考核结果通报如下。",
    )
    rows = [["排名", "部门", "总分", "等次"]]
    rows += [[a.rank, a.department.name, f"{a.total}", a.get_grade_display()] for a in ranked]
    table(document, rows, [2, 7, 3, 3], size=12)
    body(document, f"对考核结果有异议的部门，可在结果公布后{scheme.appeal_days}日内向统战部提出申诉。")
    document.add_paragraph()
    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(sign.add_run("党委统战部"), "仿宋", 16)
    date_line = document.add_paragraph()
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(date_line.add_run(cn_date(scheme.published_at.date() if scheme.published_at else None)), "仿宋", 16)
    return to_bytes(document)
