from django.conf import settings
from django.template.loader import render_to_string

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _error_page(request, template: str, status: int):
    from django.http import HttpResponse

    return HttpResponse(render_to_string(template, request=request), status=status)


class RequestLimitsMiddleware:
    """Refuses bodies over MAX_REQUEST_BYTES with a 413 before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error_page(request, "400.html", 400)
        if length > settings.MAX_REQUEST_BYTES:
            return _error_page(request, "413.html", 413)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and gives bare 405 responses a Chinese page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if response.status_code == 405 and not response.content:
            allow = response.headers.get("Allow", "")
            response = _error_page(request, "405.html", 405)
            response.headers["Allow"] = allow
            response.headers["Content-Security-Policy"] = CSP
        return response
