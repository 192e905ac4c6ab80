"""Issue 11, hole 3 and the bad-input suite: every importer and upload path against bombs, XXE,
billion laughs, wrong types, huge cells and random bytes. Each reader answers with a one-line
Chinese message, within its limits, and the test process's own memory does not grow (the
parsing runs in a child under a memory ceiling; `core.bounded`).

Before the fix: a 100 KB .xlsx with 40 MB of shared strings took +864 MB in the web worker; cells
claiming column ZZZZ grew linearly; a PDF with a 512 MB deflate stream took +951 MB."""

import io
import resource
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bounded import LimitExceeded, run_bounded
from core.files import EVIDENCE, EXCEL, check_upload
from core.tests import documents
from people.imports import ImportFileError, read_sheet
from plans.imports import parse_bounded
from plans.parsing import ParseError

MB = 1024 * 1024


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def low_ceiling(settings):
    """A ceiling low enough that the bombs below hit it quickly."""
    settings.PARSE_MEMORY_MB = 128
    settings.PARSE_SECONDS = 10


def _one_line_chinese(message: str) -> None:
    assert "\n" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


# --- core.bounded itself ---------------------------------------------------------------------------


def _hog():
    return len(bytearray(1024 * MB))


def _sleeper():
    time.sleep(30)


def _fails():
    raise ImportFileError("坏文件")


def test_a_child_over_its_ceiling_fails_alone(low_ceiling):
    before = _peak_rss_mb()
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_hog)
    _one_line_chinese(caught.value.message)
    assert _peak_rss_mb() - before < 50  # the gigabyte was never ours


def test_a_child_over_its_time_is_killed():
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_sleeper, seconds=1)
    assert time.monotonic() - started < 5
    assert "超时" in caught.value.message


def test_the_childs_own_errors_and_results_come_back():
    with pytest.raises(ImportFileError) as caught:
        run_bounded(_fails)
    assert caught.value.message == "坏文件"
    assert run_bounded(sum, [1, 2, 3]) == 6


# --- The registry import (.xlsx) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("shared-strings bomb", documents.xlsx_shared_strings_bomb(40), "解压后过大"),
        ("column ZZZZ", documents.xlsx_far_columns(), "超过 100 列"),
        ("billion laughs", documents.xlsx_with_dtd(documents.BILLION_LAUGHS), "DTD"),
        ("XXE", documents.xlsx_with_dtd(documents.XXE), "DTD"),
        ("not a zip", b"PK\x03\x04 not really a zip", "无法读取"),
        ("no workbook part", documents.docx(), "不完整"),
        (
            "too many rows",
            documents.xlsx("".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 20_010))),
            "最多导入",
        ),
    ],
)
def test_registry_reader_refuses_bad_workbooks(name, data, expected):
    before = _peak_rss_mb()
    with pytest.raises(ImportFileError) as caught:
        run_bounded(read_sheet, io.BytesIO(data))
    _one_line_chinese(caught.value.message)
    assert expected in caught.value.message, name
    assert _peak_rss_mb() - before < 50


def test_a_huge_cell_is_read_and_then_reported_not_crashed():
    header, rows = run_bounded(read_sheet, io.BytesIO(documents.xlsx_huge_cell(5)))
    assert len(header[0]) == 5 * MB and rows == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (documents.xlsx_shared_strings_bomb(40), "压缩"),  # refused at upload (ratio) or at read
        (documents.xlsx_far_columns(), "超过 100 列"),
        (documents.xlsx_with_dtd(documents.BILLION_LAUGHS), "DTD"),
    ],
)
def test_registry_import_page_answers_bad_workbooks_in_one_line(client, ufd_staff, data, expected):
    client.force_login(ufd_staff)
    response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("名单.xlsx", data)})
    assert response.status_code == 200
    assert expected in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), as_zip=st.booleans())
def test_registry_reader_answers_any_bytes_with_its_own_error(data, as_zip):
    if as_zip:
        data = documents.xlsx(data.decode("latin-1").replace("<", "").replace("&", ""))
    try:
        read_sheet(io.BytesIO(data))
    except ImportFileError as error:
        _one_line_chinese(error.message)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.one_of(st.text(max_size=50), st.integers(), st.floats(allow_nan=True)), max_size=30))
def test_registry_reader_reads_any_inline_cells(cells):
    from xml.sax.saxutils import escape

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    texts = [escape(ILLEGAL_CHARACTERS_RE.sub("", str(v))) for v in cells]
    xml = "".join(
        f'<c r="{get_column_letter(i + 1)}2" t="inlineStr"><is><t>{text}</t></is></c>' for i, text in enumerate(texts)
    )
    header, rows = read_sheet(io.BytesIO(documents.xlsx(f'<row r="2">{xml}</row>')))
    assert header == []
    assert len(rows) <= 1


# --- The plan parser (.docx, .pdf, text) ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "filename"),
    [
        ("pdf deflate bomb", documents.pdf_deflate_bomb(256), "要点.pdf"),
        ("junk %PDF-", documents.junk_pdf(2), "要点.pdf"),
        ("docx zip bomb", documents.docx_zip_bomb(8), "要点.docx"),
        ("docx billion laughs", documents.docx(prolog=documents.BILLION_LAUGHS), "要点.docx"),
        ("docx XXE", documents.docx("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=documents.XXE), "要点.docx"),
        ("xlsx as plan", documents.xlsx(""), "要点.docx"),
        ("random bytes as pdf", b"\x00\x01" * 1000, "要点.pdf"),
    ],
)
def test_plan_parser_refuses_bad_documents_in_one_line(low_ceiling, name, data, filename):
    before = _peak_rss_mb()
    started = time.monotonic()
    with pytest.raises(ParseError) as caught:
        parse_bounded(data, filename=filename)
    _one_line_chinese(caught.value.message)
    assert time.monotonic() - started < 10, name
    assert _peak_rss_mb() - before < 50, name


def test_plan_parser_still_reads_a_good_document(low_ceiling):
    parsed = parse_bounded("一、加强思想政治引领\n（一）组织专题学习。（牵头：党委统战部）".encode(), filename="a.txt")
    assert parsed["sections"][0]["title"] == "加强思想政治引领"


# --- Evidence and attachments (core.files.check_upload) ----------------------------------------


@pytest.mark.parametrize(
    ("name", "filename", "data", "expected"),
    [
        ("junk %PDF-", "证明.pdf", documents.junk_pdf(1), "无法作为 PDF 打开"),
        ("truncated pdf", "证明.pdf", b"%PDF-1.4\n%test\n", "无法作为 PDF 打开"),
        ("docx zip bomb", "总结.docx", documents.docx_zip_bomb(8), "压缩炸弹"),
        ("docx billion laughs", "总结.docx", documents.docx(prolog=documents.BILLION_LAUGHS), "DTD"),
        ("docx XXE", "总结.docx", documents.docx(prolog=documents.XXE), "DTD"),
        ("docx broken xml", "总结.docx", documents.docx("<w:p><unclosed>"), "已损坏"),
        ("xlsx shared-strings bomb", "台账.xlsx", documents.xlsx_shared_strings_bomb(40), "压缩"),
        ("xlsx with DTD", "台账.xlsx", documents.xlsx_with_dtd(documents.BILLION_LAUGHS), "DTD"),
        ("exe named pdf", "证明.pdf", b"MZ\x90\x00 program", "不是允许的类型"),
        ("pdf named docx", "总结.docx", documents.minimal_pdf(), "扩展名与内容"),
    ],
)
def test_evidence_that_does_not_open_is_refused(name, filename, data, expected):
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(filename, data), kinds=EVIDENCE)
    message = caught.value.messages[0]
    _one_line_chinese(message)
    assert expected in message, name


def test_real_evidence_opens():
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    assert check_upload(SimpleUploadedFile("总结.docx", buffer.getvalue())).label == "Word 文档"
    assert check_upload(SimpleUploadedFile("证明.pdf", documents.minimal_pdf())).label == "PDF"
    # A PDF whose one content stream is a bomb still opens: its pages are counted, never drawn.
    assert check_upload(SimpleUploadedFile("证明.pdf", documents.pdf_deflate_bomb(64))).label == "PDF"
    assert check_upload(SimpleUploadedFile("台账.xlsx", documents.xlsx("")), kinds=(EXCEL,)).label == "Excel 表格"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(min_size=1, max_size=3000),
    head=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n"]),
    name=st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.png", "a.txt", "a"]),
)
def test_any_upload_is_accepted_or_refused_with_a_message(data, head, name):
    try:
        check_upload(SimpleUploadedFile(name, head + data), kinds=EVIDENCE)
    except ValidationError as error:
        _one_line_chinese(error.messages[0])


@pytest.mark.django_db
def test_import_command_refuses_a_bomb_in_one_line(tmp_path, org):
    from django.core.management import CommandError, call_command

    path = tmp_path / "名单.xlsx"
    path.write_bytes(documents.xlsx_far_columns())
    with pytest.raises(CommandError) as caught:
        call_command("import_people", str(path), "--org", org.slug, "--dry-run")
    assert "超过 100 列" in str(caught.value)
