"""Optimistic concurrency: every editable record carries a `version`; a save names the version
the edit started from and is refused when someone else saved in between. Nothing is overwritten
silently; the view answers 409 with the user's input kept."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.figures_cache import bump_for

STALE_MESSAGE = _("保存失败：此{what}已被他人修改。请刷新页面查看最新内容后再修改，您填写的内容仍保留在下方。")


class StaleEdit(Exception):
    """Someone else saved the record since this edit began."""


def _touch(model, values: dict) -> dict:
    """Sets `auto_now` fields (`updated_at`) as `save()` would; a queryset update skips them."""
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            values.setdefault(field.attname, timezone.now())
    return values


def update_if_unchanged(model, pk, version: int, **values) -> None:
    """Writes `values` and bumps `version`, but only if the row still has `version`; otherwise
    raises StaleEdit and writes nothing. Runs as one UPDATE, so two racing saves cannot both win.
    An `auto_now` field (`updated_at`) is set too, as `save()` would, and the organisation's figures
    version goes up (core.figures_cache: a queryset update sends no signal)."""
    if not model.objects.filter(pk=pk, version=version).update(version=F("version") + 1, **_touch(model, values)):
        raise StaleEdit
    bump_for(model, [pk])


def bump_version(model, pk, **values) -> None:
    """Writes `values` and bumps `version` whatever it was: a change made outside the edit form
    (a status change) that must make any edit begun before it stale. One UPDATE (and the figures
    version's bump, core.figures_cache)."""
    model.objects.filter(pk=pk).update(version=F("version") + 1, **_touch(model, values))
    bump_for(model, [pk])
