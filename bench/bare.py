"""The baseline for `make bench-load`: a bare Django project with one view answering "ok", served by
gunicorn exactly as Tongxin is (`gunicorn bench.bare:application`). Settings, URLs and WSGI app in
one module."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare"

SECRET_KEY = "bench-bare-view-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.bare"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True


def ok(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def _urlpatterns():
    from django.urls import path

    return [path("", ok)]


urlpatterns = _urlpatterns()

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
