"""`choice_label(obj, "status")`: `obj.get_status_display()` for list rows (issue 16).

Django's get_FOO_display() rebuilds a dict of the field's choices on every call and hashes each
lazy label on the way, which translates every label of the field: ~15 gettext calls a cell for a
field of 15 choices. Here the field's {value: label} dict is built once (the labels stay lazy, so
each row still shows its label in the page's language) and a cell translates only its own label.
For fields with fixed choices (TextChoices and the like), not choices computed at run time."""

from django.utils.encoding import force_str

_labels: dict = {}


def choice_label(instance, field_name: str):
    field = instance._meta.get_field(field_name)
    labels = _labels.get(field)
    if labels is None:
        labels = _labels[field] = dict(field.flatchoices)
    value = getattr(instance, field.attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value: Django's own way
        return getattr(instance, f"get_{field_name}_display")()
    return force_str(label, strings_only=True)
