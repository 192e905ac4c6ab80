"""Builds .xlsx files for import tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from people.imports import HEADERS


def workbook_bytes(rows: list[list], header: list | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows: list[list], header: list | None = None, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, header))


def row(**values) -> list:
    """A template row from {header: value} (other cells empty)."""
    return [values.get(h.replace("(", "_").replace(")", ""), values.get(h, "")) for h in HEADERS]
