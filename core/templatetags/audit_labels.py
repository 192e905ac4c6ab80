"""The audit log in words: `{{ e.action|action_label }}`, `{{ e.object_type|object_label }}`,
`{% for label, text in e|change_lines %}` (see `core.audit`)."""

from django import template

from core import audit

register = template.Library()

register.filter("action_label", audit.action_label)
register.filter("object_label", audit.object_label)
register.filter("change_lines", audit.change_lines)
