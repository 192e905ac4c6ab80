"""Markup every screen-reader user relies on (issue 12, WCAG 2.x 1.3.1 and 2.4.1): a skip link to
#main as the first thing on every page, one <h1> on member pages too, and tables that say what they
are (a <caption>) and which cells head them (<th scope>). The browser check (axe-core) looks at the
rendered pages; this one reads every template, so a table on a page the browser test does not visit
is covered too."""

import re

from django.template.loader import render_to_string
from django.test import RequestFactory

from core.tests.test_template_hygiene import ROOT, template_files

TABLE = re.compile(r"<table\b[^>]*>(.*?)</table>", re.S)
HEADER_CELL = re.compile(r"<th(?=[\s>])[^>]*>")


def test_every_table_has_a_caption_and_scoped_header_cells():
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for table in TABLE.finditer(text):
            where = f"{path.relative_to(ROOT)}:{text[: table.start()].count(chr(10)) + 1}"
            if not re.match(r"\s*<caption\b", table.group(1)):
                problems.append(f"{where}: no <caption> right after <table>")
            problems += [
                f"{where}: {cell} has no scope" for cell in HEADER_CELL.findall(table.group(1)) if "scope=" not in cell
            ]
    assert not problems, "\n".join(problems)


def test_there_are_tables_to_check():
    assert sum(len(TABLE.findall(p.read_text(encoding="utf-8"))) for p in template_files()) > 50


def _layout(template: str) -> str:
    request = RequestFactory().get("/")
    return render_to_string(template, {"request": request})


def test_the_skip_link_comes_first_and_leads_to_main():
    for template in ("base.html", "member_base.html"):
        html = _layout(template)
        body = html[html.index("<body") :]
        first_link = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body[body.index(">") + 1 :])
        assert first_link.group(0) == '<a class="skip-link" href="#main">', template
        assert "跳到主要内容" in body
        assert re.search(r'<main\b[^>]*\bid="main"', html), template


def test_member_pages_name_themselves_in_an_h1():
    html = _layout("member_base.html")
    assert re.search(r'<h1 class="m-title">', html)
    assert html.count("<h1") == 1


def test_the_skip_link_and_the_hidden_captions_are_styled():
    css = (ROOT / "static" / "core" / "tongxin.css").read_text(encoding="utf-8")
    assert re.search(r"\.skip-link \{[^}]*top: -", css), "the skip link is off screen until focused"
    assert re.search(r"\.skip-link:focus \{[^}]*top: \.5rem", css)
    assert re.search(r"\.visually-hidden \{[^}]*clip", css)
