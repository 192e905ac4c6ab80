"""Registry exports: generators of rows, header first, written by core.exports.write_xlsx.
Contact data is masked unless the caller asks for it unmasked (UFD staff with a stated purpose)."""

import io

from people.imports import HEADERS, template_rows
from people.models import Category, Party, source_text


def _month(value) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""


def _contact(person, unmasked: bool) -> tuple[str, str]:
    if unmasked:
        return person.phone, person.email
    return person.masked_phone, person.masked_email


def register_rows(people, *, unmasked: bool = False):
    """The registry, in the import template's columns after 序号 (several study-abroad
    records joined by ；)."""
    yield ["序号", *HEADERS]
    for number, p in enumerate(people, start=1):
        parties = list(p.party_memberships.all())
        studies = list(p.study_records.all())
        phone, email = _contact(p, unmasked)
        yield [
            number,
            p.name,
            source_text(p.get_gender_display()),
            _month(p.birth_month),
            p.staff_number,
            str(p.department or ""),
            p.job_title,
            p.professional_title,
            p.education,
            "、".join(source_text(label) for label in p.category_labels),
            "、".join(source_text(m.get_party_display()) for m in parties),
            "、".join(_month(m.join_month) for m in parties if m.join_month),
            "、".join(m.post for m in parties if m.post),
            "、".join(str(post) for post in p.public_posts.all()),
            "；".join(s.country_region for s in studies),
            "；".join(s.institution for s in studies),
            "；".join(s.degree for s in studies),
            "；".join(s.period for s in studies),
            "；".join(_month(s.return_month) for s in studies),
            phone,
            email,
        ]


RETURNED_HEADER = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "所在部门",
    "职务/职称",
    "留学国家(地区)",
    "留学院校",
    "学位",
    "留学起止时间",
    "回国时间",
    "联系电话",
]


def returned_rows(people, *, unmasked: bool = False):
    """留学回国人员明细清单: one line per study-abroad record (a person in the category with no
    record yet gets one line with the study columns empty)."""
    yield RETURNED_HEADER
    number = 0
    for p in people:
        phone = p.phone if unmasked else p.masked_phone
        for study in list(p.study_records.all()) or [None]:
            number += 1
            yield [
                number,
                p.name,
                source_text(p.get_gender_display()),
                _month(p.birth_month),
                str(p.department or ""),
                p.title_line,
                study.country_region if study else "",
                study.institution if study else "",
                study.degree if study else "",
                study.period if study else "",
                _month(study.return_month) if study else "",
                phone,
            ]


TEMPLATE_ROWS = 2000  # rows of the template sheet that carry the drop-down lists


def template_choices() -> dict[str, list[str]]:
    """The drop-down lists of the import template, by column: exactly what the import accepts."""
    return {
        "性别": ["男", "女"],
        "民主党派": [source_text(label) for _code, label in Party.choices],
        "统战对象类别": [source_text(label) for _code, label in Category.choices],
    }


def _add_drop_downs(workbook, sheet) -> None:
    """Excel data validation on 性别, 民主党派 and 统战对象类别 (rows 2…2000), listing the values the
    import accepts from a hidden sheet “选项”. 统战对象类别 may hold several values separated by “、”,
    so its list only offers single values and does not refuse typed combinations."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    options = workbook.create_sheet("选项")
    options.sheet_state = "hidden"
    for index, (header, values) in enumerate(template_choices().items(), start=1):
        letter = get_column_letter(index)
        options.cell(row=1, column=index, value=header)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=index, value=value)
        several = header == "统战对象类别"
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=not several,
            errorTitle=header,
            error=f"请从下拉列表中选择{header}",
            promptTitle=header,
            prompt="可从列表选择；多个类别用“、”分隔" if several else "请从下拉列表中选择",
            showInputMessage=True,
        )
        column = get_column_letter(HEADERS.index(header) + 1)
        validation.add(f"{column}2:{column}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def import_template() -> bytes:
    """The import template: the header in row 1 of the first sheet, notes on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统战对象"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(name="黑体", bold=True)
        cell.fill = PatternFill("solid", fgColor="EFEFEF")
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 14
    sheet.freeze_panes = "A2"
    _add_drop_downs(workbook, sheet)
    notes = workbook.create_sheet("填写说明")
    for line in [
        ["填写说明（本页不会被导入）"],
        ["1. 从第2行起每行一人；第1行表头请勿修改。工号相同的人员将被更新，空白单元格不会覆盖原有信息。"],
        ["2. 出生年月、入党派时间、回国时间可写 1980-05、1980.05、1980/5、1980年5月，或 Excel 日期。"],
        ["3. 留学起止时间写成 2008.09-2012.07；统战对象类别、人大政协职务可填多个，用“、”分隔。"],
        ["4. 所在部门须为部门管理中已有的名称、简称或别名。"],
        ["5. 本系统不收集宗教信仰、民族和身份证件号码，请勿添加此类列，否则整个文件将被拒绝。"],
        ["6. 任何一行有误时不会导入任何数据，系统会列出每个问题所在的行和列。"],
        [],
        ["示例："],
        *template_rows(),
    ]:
        notes.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
