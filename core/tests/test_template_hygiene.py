"""Templates stay readable and portable (issue 12): no line over 160 characters, and no address of
the app written by hand in a template or in non-test Python (templates use {% url %} and {% static %},
code uses reverse()), so a changed route or a sub-path deployment cannot leave a dead link behind."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {"node_modules", ".venv", "var", "test-artifacts", "staticfiles", ".git"}
MAX_LINE = 160


def _first_segments(patterns) -> set[str]:
    """The first segment of every route the app serves ("plans", "accounts", "p" for the public pages...)."""
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern).lstrip("^")
        head = re.match(r"[\w.-]+", route)
        if head:
            segments.add(head.group(0))
        elif hasattr(pattern, "url_patterns"):  # an include at the root
            segments |= _first_segments(pattern.url_patterns)
    return segments


def _app_prefixes() -> list[str]:
    from django.urls import get_resolver

    return sorted(_first_segments(get_resolver().url_patterns) | {"static", "media"}, key=len, reverse=True)


PATH = r"/(?:" + "|".join(re.escape(p) for p in _app_prefixes()) + r")(?![\w-])"
# In a template: an attribute (href, action, src, hx-get, data-url...) or CSS url() whose value starts with "/".
TEMPLATE_URL = re.compile(r"""(?:\b[\w-]+\s*=\s*["']|url\(\s*["']?)/(?!/)""")
# In Python: a string (plain or f-string) that starts with one of the app's paths.
PYTHON_URL = re.compile(r"""(?:\b[fFrRbB])?["']""" + PATH)


def _files(pattern: str):
    for path in sorted(ROOT.rglob(pattern)):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & SKIP:
            yield path


def template_files():
    return [p for p in _files("*.html") if "templates" in p.relative_to(ROOT).parts]


def python_files():
    """Code that runs in production: not tests, migrations or benchmarks, nor the settings (which define
    STATIC_URL and MEDIA_URL, the roots everything else is built on), nor the API's route table
    (`api/endpoints.py` declares its paths, as urls.py does), nor the install scripts in deploy/."""
    skip = {"tests", "migrations", "bench", "deploy"}
    return [
        p
        for p in _files("*.py")
        if not set(p.relative_to(ROOT).parts) & skip
        and p.name != "conftest.py"
        and p.relative_to(ROOT) != Path("api", "endpoints.py")
        and not (p.parent.name == "tongxin" and p.name.startswith(("settings", "testing")))
    ]


def long_lines(path: Path) -> list[str]:
    return [
        f"{path.name if not path.is_relative_to(ROOT) else path.relative_to(ROOT)}:{number} ({len(line)} characters)"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > MAX_LINE
    ]


def hard_coded_in_template(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_URL.search(line)
    ]


def hard_coded_in_python(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PYTHON_URL.search(line) and not line.lstrip().startswith("#")
    ]


def test_the_scan_sees_every_app():
    scanned = {p.relative_to(ROOT).parts[0] for p in template_files()}
    assert {"templates", "people", "plans", "events", "proposals", "dashboard", "accounts"} <= scanned
    assert len(template_files()) > 100
    assert ROOT / "plans" / "services.py" in python_files()
    assert not any("tests" in p.parts for p in python_files())
    assert {"plans", "people", "accounts", "p", "static"} <= set(_app_prefixes())


def test_no_template_line_is_longer_than_160_characters():
    offenders = [line for path in template_files() for line in long_lines(path)]
    assert not offenders, "Wrap these lines (between attributes or tags):\n" + "\n".join(offenders)


def test_the_line_check_catches_a_long_line(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text("<p>" + "同" * 157 + "</p>\n<p>short</p>\n", encoding="utf-8")  # 164 characters
    assert long_lines(sample) == ["sample.html:1 (164 characters)"]


def test_no_template_writes_an_address_of_the_app_by_hand():
    offenders = [line for path in template_files() for line in hard_coded_in_template(path)]
    assert not offenders, "Use {% url %} / {% static %}:\n" + "\n".join(offenders)


def test_no_production_code_writes_an_address_of_the_app_by_hand():
    offenders = [line for path in python_files() for line in hard_coded_in_python(path)]
    assert not offenders, "Use reverse():\n" + "\n".join(offenders)


def test_the_address_checks_catch_what_they_are_for():
    for line in (
        '<a href="/plans/items/{{ item.pk }}/">',
        "<form action='/people/1/delete/'>",
        '<button hx-get="/events/3/">',
        '<img src="/static/core/logo.png">',
        '<a href="/">',
    ):
        assert TEMPLATE_URL.search(line), line
    for line in (
        "<a href=\"{% url 'plans:item-detail' item.pk %}\">",
        "<img src=\"{% static 'core/logo.png' %}\">",
        '<a href="https://example.org/plans/">',
        '<a href="?page=2">',
        '<a href="#main">',
    ):
        assert not TEMPLATE_URL.search(line), line
    for line in ('url=f"/plans/items/{item.pk}/",', 'url="/plans/my-department/"', "'/people/'"):
        assert PYTHON_URL.search(line), line
    for line in ('reverse("plans:item-detail", args=[item.pk])', 'path("plans/", include("plans.urls"))'):
        assert not PYTHON_URL.search(line), line
