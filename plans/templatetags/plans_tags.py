"""Timeline notes are stored in the source language (Chinese) when they are written; this filter
shows the system-written ones in the page's language. Notes people typed are shown as they are."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_MILESTONE = re.compile(r"^节点“(?P<title>.*)”(?P<state>已完成|未完成)$", re.S)
_COUNTED = re.compile(r"^“(?P<target>.*?)”计入：(?P<source>.*)$", re.S)
_WITHDRAWN = re.compile(r"^“(?P<target>.*?)”撤回：(?P<source>.*)$", re.S)
_UNMET = re.compile(r"^目标未全部完成即销号（(?P<targets>.*?)）。理由：(?P<reason>[^\n]*)(?P<rest>\n.*)?$", re.S)


def _labels() -> dict:
    """Chinese source text → translated label, for item statuses and item field names."""
    from plans.models import Item, source_text

    labels = {source_text(label): label for _value, label in Item.Status.choices}
    for field in Item._meta.get_fields():
        if getattr(field, "verbose_name", None):
            labels.setdefault(source_text(field.verbose_name), field.verbose_name)
    return labels


@register.filter
def event_note(event) -> str:
    from plans.models import ItemEvent

    note = event.note or ""
    if event.kind == ItemEvent.Kind.STATUS and " → " in note:
        labels = _labels()
        return " → ".join(str(labels.get(part, part)) for part in note.split(" → "))
    if event.kind == ItemEvent.Kind.EDITED:
        if match := _MILESTONE.match(note):
            state = _("已完成") if match["state"] == "已完成" else _("未完成")
            return _("节点“%(title)s”%(state)s") % {"title": match["title"], "state": state}
        labels = _labels()
        parts = note.split("、")
        if all(part in labels for part in parts):
            return _("、").join(str(labels[part]) for part in parts)
        return note
    if event.kind == ItemEvent.Kind.ACHIEVEMENT:
        if match := _COUNTED.match(note):
            return _("“%(target)s”计入：%(source)s") % match.groupdict()
        if match := _WITHDRAWN.match(note):
            return _("“%(target)s”撤回：%(source)s") % match.groupdict()
    if event.kind == ItemEvent.Kind.ACCEPTED and (match := _UNMET.match(note)):
        text = _("目标未全部完成即销号（%(targets)s）。理由：%(reason)s") % {
            "targets": match["targets"],
            "reason": match["reason"],
        }
        return text + (match["rest"] or "")
    return note
