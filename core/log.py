"""Logging filters for the settings' LOGGING."""

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (403) is routine: log one line (method, path, user), no traceback.

    Django logs a PermissionDenied on `django.request` with the exception attached, which prints
    a full traceback for every refusal; this drops the traceback and keeps the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = getattr(user, "username", "") or "anonymous"
            method = getattr(request, "method", "")
            path = getattr(request, "path", "")
            record.msg, record.args = "Forbidden: %s %s (user %s)", (method, path, who)
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
