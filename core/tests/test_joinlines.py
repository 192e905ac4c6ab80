"""{% joinlines %} lets a long template line be written over several lines without changing the page."""

from django.template import Context, Template

SOURCE = """{% load i18n layout %}<p>{% joinlines %}{% if a %}甲
    乙{% else %}丙
    {{ v }}{% endif %}{% for x in xs %}{{ x }}
    、{% endfor %}{% endjoinlines %}</p>
<p>{% if a %}甲乙{% else %}丙{{ v }}{% endif %}{% for x in xs %}{{ x }}、{% endfor %}</p>"""


def render(**context) -> list[str]:
    return Template(SOURCE).render(Context(context)).split("\n<p>")


def test_the_line_breaks_of_the_template_are_dropped():
    wrapped, one_line = render(a=True, v="", xs=[1, 2])
    assert wrapped == "<p>甲乙1、2、</p>"
    assert "<p>" + one_line == wrapped


def test_what_variables_render_keeps_its_line_breaks():
    wrapped, one_line = render(a=False, v="第一行\n  第二行", xs=[])
    assert wrapped == "<p>丙第一行\n  第二行</p>"
    assert "<p>" + one_line == wrapped
