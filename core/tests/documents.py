"""Crafted files for the bad-input suite (issue 11): well-formed minimal documents, and the bombs,
entity attacks and junk an attacker would upload. Built in memory in milliseconds."""

import io
import zipfile
import zlib

from core.files import minimal_pdf

XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def xlsx(sheet_rows: str, *, shared: bytes | str | None = None, extra: dict | None = None) -> bytes:
    """A workbook whose first sheet's <sheetData> is `sheet_rows` (raw XML)."""
    parts = {
        "[Content_Types].xml": XLSX_CONTENT_TYPES,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": SHEET_HEAD + sheet_rows + SHEET_TAIL,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return _zip(parts | (extra or {}))


def xlsx_shared_strings_bomb(megabytes: int = 40) -> bytes:
    """About 100 KB on disk, `megabytes` MB of shared strings once unpacked."""
    one = "<si><t>" + "统" * 1000 + "</t></si>"
    count = megabytes * 1024 * 1024 // len(one.encode())
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + one * count
        + "</sst>"
    )
    return xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=shared)


def xlsx_far_columns(rows: int = 200) -> bytes:
    """A few KB whose cells claim column ZZZZ (475,254 columns per row if believed)."""
    return xlsx(
        "".join(f'<row r="{n}"><c r="ZZZZ{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, rows))
    )


def xlsx_with_dtd(prolog: str) -> bytes:
    return xlsx("", extra={"xl/workbook.xml": prolog + WORKBOOK[WORKBOOK.index("<workbook") :]})


def xlsx_huge_cell(megabytes: int = 5) -> bytes:
    return xlsx(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * megabytes * 1024 * 1024}</t></is></c></row>')


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(body: str = "<w:p><w:r><w:t>一、加强思想政治引领</w:t></w:r></w:p>", *, prolog: str = "") -> bytes:
    document = prolog + f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return _zip({"[Content_Types].xml": DOCX_CONTENT_TYPES, "_rels/.rels": DOCX_RELS, "word/document.xml": document})


def docx_zip_bomb(megabytes: int = 8) -> bytes:
    """A .docx whose document part unpacks to `megabytes` MB of spaces (a ratio near 1,000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def deflate_bomb(megabytes: int) -> bytes:
    """A zlib stream inflating to `megabytes` MB of spaces, built in well under a second: one
    compressed MB after a full flush repeats byte for byte, so it is compressed once and repeated."""
    block = b" " * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + body * megabytes + b"\x03\x00" + checksum.to_bytes(4, "big")


def pdf_deflate_bomb(megabytes: int = 512) -> bytes:
    """About `megabytes` KB on disk: one page whose content stream inflates to `megabytes` MB."""
    stream = deflate_bomb(megabytes)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
    return minimal_pdf([content], page_extra=b" /Contents 4 0 R")


def junk_pdf(megabytes: int = 2) -> bytes:
    """Starts like a PDF, then noise that looks like object syntax."""
    return b"%PDF-1.7\n" + b"1 0 obj << /Type /Junk [ (((( " * (megabytes * 1024 * 1024 // 32)
