"""Upload checks: size and type judged by the file's content, never by its name."""

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
    return kind


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
