import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import EVIDENCE, IMAGE, PDF, check_upload
from core.tests.documents import minimal_pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def _docx_bytes():
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def test_accepts_real_files_by_content():
    assert check_upload(SimpleUploadedFile("a.png", PNG)) == IMAGE
    assert check_upload(SimpleUploadedFile("a.pdf", minimal_pdf())) == PDF
    assert check_upload(SimpleUploadedFile("a.docx", _docx_bytes())).label == "Word 文档"


def test_refuses_a_file_that_lies_about_its_type():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an exe"), kinds=(IMAGE,))
    assert "不是允许的类型" in error.value.messages[0]


def test_refuses_a_name_that_does_not_match_the_content():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("report.pdf", PNG), kinds=EVIDENCE)
    assert "扩展名与内容" in error.value.messages[0]


def test_refuses_oversized_and_empty_files():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.png", PNG + b"\x00" * (2 * 1024 * 1024)), max_mb=1)
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.png", b""))
