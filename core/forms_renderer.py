"""A form renderer that writes the common widgets (<select>, <input>) in Python (issue 16).

Django renders every widget through templates: a <select> includes one template per <option>
and one more for each option's attributes, ~30 µs an option, so a filter form with a department
list costs milliseconds on every list page. `FastWidgetRenderer` produces the very same HTML as
Django's own widget templates (`django/forms/widgets/select.html`, `select_option.html`,
`input.html` and the input types that only include it), with the same escaping and localisation;
any other template, an option with its own template, or a project template overriding one of
these, goes through the templates as before. core/tests/test_forms_renderer.py compares the two."""

from functools import cached_property
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
# Django's input types whose template is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TYPES = ("checkbox color date datetime email file hidden number password search tel text time url").split()
DJANGO_TEMPLATES = Path(django.__file__).resolve().parent / "forms" / "templates"
_CONTEXT = Context()  # autoescape on, localisation and time zone as a template's defaults


def _value(value) -> str:
    """`{{ value }}` in a template: localised, then escaped unless safe."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: str() without localisation, escaped unless safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_input(widget) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def render_select(widget) -> str | None:
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


FAST = {WIDGETS + "select.html": render_select} | {WIDGETS + f"{kind}.html": render_input for kind in INPUT_TYPES}


class FastWidgetRenderer(DjangoTemplates):
    @cached_property
    def _own(self) -> dict[str, bool]:
        """Per template name: whether Django's own file is the one in use (not a project override)."""
        return {}

    def _is_django_own(self, template_name: str) -> bool:
        own = self._own.get(template_name)
        if own is None:
            origin = Path(self.get_template(template_name).origin.name).resolve()
            own = self._own[template_name] = DJANGO_TEMPLATES in origin.parents
        return own

    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None and self._is_django_own(template_name):
            html = fast(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
