"""The one way Tongxin sends a file: every download (exports, templates, evidence, attachments,
photos, calendars) goes through `file_download`, so a Chinese file name reaches the browser intact.

Django's `FileResponse` writes the header with `content_disposition_header`: an ASCII name as
`filename="…"`, any other as `filename*=utf-8''<percent-encoded UTF-8>` (RFC 6266 / RFC 5987), which
every current browser saves under its Chinese name. Setting the header by hand with raw Chinese text
made Django fall back to RFC 2047 (`=?utf-8?b?…?=`), which browsers ignore (`download.xlsx`).
"""

import io
import mimetypes

from django.http import FileResponse


def file_download(
    data_or_file,
    filename: str,
    content_type: str | None = None,
    *,
    inline: bool = False,
    cache: str = "private, no-store",
) -> FileResponse:
    """A response that downloads `data_or_file` (bytes, str or an open binary file) as `filename`.

    `inline=True` lets the browser show it (images, calendar subscriptions) under the same name.
    The content type is guessed from the file name when not given.
    """
    if isinstance(data_or_file, str):
        data_or_file = data_or_file.encode("utf-8")
    if isinstance(data_or_file, bytes | bytearray):
        data_or_file = io.BytesIO(data_or_file)
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(data_or_file, as_attachment=not inline, filename=filename, content_type=content_type)
    if cache:
        response["Cache-Control"] = cache
    return response
