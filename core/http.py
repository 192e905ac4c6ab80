"""The one way Tongxin sends a file: every download (exports, templates, evidence, attachments,
photos, calendars) goes through `file_download`, so a Chinese file name reaches the browser intact.

Django's `content_disposition_header` (which `FileResponse` uses too) writes an ASCII name as
`filename="…"`, any other as `filename*=utf-8''<percent-encoded UTF-8>` (RFC 6266 / RFC 5987), which
every current browser saves under its Chinese name. Setting the header by hand with raw Chinese text
made Django fall back to RFC 2047 (`=?utf-8?b?…?=`), which browsers ignore (`download.xlsx`).
"""

import mimetypes

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def file_download(
    data_or_file,
    filename: str,
    content_type: str | None = None,
    *,
    inline: bool = False,
    cache: str = "private, no-store",
) -> HttpResponse | FileResponse:
    """A response that downloads `data_or_file` (bytes, str or an open binary file) as `filename`.

    Bytes and text (exports made in memory) go out in one `HttpResponse`; an open file (evidence,
    attachments, photos) is streamed by a `FileResponse`. `inline=True` lets the browser show it
    (images, calendar subscriptions) under the same name. The content type is guessed from the file
    name when not given.
    """
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if isinstance(data_or_file, str | bytes | bytearray):
        response = HttpResponse(data_or_file, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        response = FileResponse(data_or_file, as_attachment=not inline, filename=filename, content_type=content_type)
    if cache:
        response["Cache-Control"] = cache
    return response
