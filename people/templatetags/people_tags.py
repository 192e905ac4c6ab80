from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from people.models import Category, Person, source_text
from people.services import LABELS, mask_value

register = template.Library()


@register.filter
def field_label(name: str) -> str:
    """The label of a registry field name as history and change requests store it (translated)."""
    return gettext(LABELS.get(name, name)) if name else name


@register.filter
def masked(field: str, value: str) -> str:
    """`value` of `field`, masked when it is contact data."""
    return mask_value(field, value or "")


@register.filter
def category_names(codes) -> str:
    """Category codes as their names (留学回国人员、党外知识分子), for the import preview."""
    labels = dict(Category.choices)
    return "、".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def history_value(value, field: str):
    """A value the history stored in the source language (category and gender labels), in the
    page's language; other values (what people typed) as they are."""
    choices = {"categories": Category.choices, "gender": Person.Gender.choices}.get(field)
    if not choices or not isinstance(value, str) or not value:
        return value
    labels = {source_text(label): label for _code, label in choices}
    return _("、").join(str(labels.get(part, part)) for part in value.split("、"))
