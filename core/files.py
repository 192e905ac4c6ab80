"""Upload checks: size and type judged by the file's content, never by its name; Word, Excel and
PDF files are also opened (in a child process under a memory ceiling and a time limit) before
they are stored, so a zip bomb, an XML entity bomb or a junk "%PDF-" file is refused at upload."""

import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


IMAGE = Kind(_("图片"), (".jpg", ".jpeg", ".png", ".gif", ".webp"))
PDF = Kind("PDF", (".pdf",))
WORD = Kind(_("Word 文档"), (".docx",))
EXCEL = Kind(_("Excel 表格"), (".xlsx",))
TEXT = Kind(_("文本"), (".txt",))
EVIDENCE = (IMAGE, PDF, WORD, EXCEL)


def sniff(head: bytes, zip_names: list[str] | None = None) -> Kind | None:
    """The kind of a file from its first bytes (and, for zip files, the names inside)."""
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or head[:6] in (b"GIF87a", b"GIF89a"):
        return IMAGE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and zip_names is not None:
        if "word/document.xml" in zip_names:
            return WORD
        if "xl/workbook.xml" in zip_names:
            return EXCEL
    return None


def _zip_names(upload) -> list[str] | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def check_upload(upload, *, kinds=EVIDENCE, max_mb: int = 20) -> Kind:
    """Raises a ValidationError with a Chinese message unless `upload` is one of `kinds`
    (by content) and at most `max_mb`. Returns the kind."""
    if upload.size > max_mb * MB:
        raise ValidationError(
            gettext("文件“%(name)s”超过 %(max_mb)s MB，请压缩后再上传。") % {"name": upload.name, "max_mb": max_mb}
        )
    if upload.size == 0:
        raise ValidationError(gettext("文件“%(name)s”是空的。") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, _zip_names(upload) if head.startswith(b"PK\x03\x04") else None)
    if kind is None and TEXT in kinds:
        kind = TEXT if _looks_like_text(upload) else None
    allowed = "、".join(str(k.label) for k in kinds)
    if kind not in kinds:
        raise ValidationError(
            gettext("文件“%(name)s”的内容不是允许的类型（%(allowed)s），已拒绝。")
            % {"name": upload.name, "allowed": allowed}
        )
    name = upload.name.lower()
    if not name.endswith(kind.extensions):
        raise ValidationError(
            gettext("文件“%(name)s”的扩展名与内容（%(kind)s）不符，已拒绝。")
            % {"name": upload.name, "kind": kind.label}
        )
    if kind in (WORD, EXCEL, PDF):
        _check_opens(upload, kind)
    return kind


# Limits for opening an uploaded document.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNCOMPRESSED = 200 * MB
MAX_ZIP_RATIO = 200
MAX_XML_PART = 64 * MB
MAX_PDF_PAGES = 2000
OPEN_MEMORY_MB = 256
OPEN_SECONDS = 15
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class Unopenable(Exception):
    """Why a document does not open; the reason is Chinese, shown after the file's name."""


def _check_opens(upload, kind: Kind) -> None:
    from core.bounded import LimitExceeded, run_bounded

    try:
        run_bounded(_open_document, upload, kind.label, memory_mb=OPEN_MEMORY_MB, seconds=OPEN_SECONDS)
    except Unopenable as error:
        raise ValidationError(_("文件“{name}”{reason}，已拒绝。").format(name=upload.name, reason=error)) from error
    except LimitExceeded as error:
        raise ValidationError(_("文件“{name}”：{reason}").format(name=upload.name, reason=error.message)) from error
    finally:
        upload.seek(0)


def _open_document(upload, label: str) -> None:
    """Runs in the child: opens the document within the limits or raises Unopenable."""
    upload.seek(0)
    if label == PDF.label:
        _open_pdf(upload.read())
    else:
        _open_office(upload, "word/document.xml" if label == WORD.label else "xl/workbook.xml")


def _open_pdf(data: bytes) -> None:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as error:  # PdfiumError and friends: damaged, encrypted, junk
        raise Unopenable(_("无法作为 PDF 打开（已损坏、加密或不是真正的 PDF）")) from error
    try:
        pages = len(document)
    finally:
        document.close()
    if not 1 <= pages <= MAX_PDF_PAGES:
        raise Unopenable(_("的页数（{pages}）不在 1～{limit} 之间").format(pages=pages, limit=MAX_PDF_PAGES))


def _open_office(upload, main_part: str) -> None:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unopenable(_("已损坏，无法打开")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise Unopenable(_("内部文件过多（疑似异常文件）"))
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_ZIP_UNCOMPRESSED or (info.file_size > MB and ratio > MAX_ZIP_RATIO):
                raise Unopenable(_("解压后过大或压缩比异常（疑似压缩炸弹）"))
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as part:
                        if _DTD.search(part.read(64 * 1024)):
                            raise Unopenable(_("含有 DTD/实体声明（可能是恶意文件）"))
            info = archive.getinfo(main_part)
            if info.file_size > MAX_XML_PART:
                raise Unopenable(_("解压后过大（疑似压缩炸弹）"))
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
            with archive.open(info) as part:
                etree.parse(part, parser)
        except Unopenable:
            raise
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, etree.XMLSyntaxError) as e:
            raise Unopenable(_("已损坏，无法打开")) from e


def _looks_like_text(upload) -> bool:
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                sample[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def minimal_pdf(extra_objects: list[bytes] | None = None, page_extra: bytes = b"") -> bytes:
    """A valid one-page (blank) PDF with a correct cross-reference table: demo data and tests use it
    where a real PDF is needed (uploads are opened before they are stored)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]" + page_extra + b" >>",
        *(extra_objects or []),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
