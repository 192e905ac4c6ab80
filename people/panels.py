"""Panels other apps add to the person page (people:detail), so `people` never imports them.

An upper app registers its panel once, in its `AppConfig.ready()`:

    from people.panels import register_panel
    register_panel("events", order=20, render=person_events_panel)

`render(person, request)` returns `{"template": "events/_person_panel.html", ...context}` or
None to show nothing. It must read in a fixed number of queries (the person page stays bounded
whatever the person's history). `panels_for(person, request)` returns the panels in order."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: Callable


_PANELS: dict[str, Panel] = {}


def register_panel(name: str, *, order: int, render: Callable) -> None:
    """Adds (or replaces, by `name`) a panel of the person page."""
    _PANELS[name] = Panel(name=name, order=order, render=render)


def unregister_panel(name: str) -> None:
    _PANELS.pop(name, None)


def panels_for(person, request) -> list[dict]:
    """[{"name", "template", "context"}...] in `order`, for the panels that have something to say."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        result = panel.render(person, request)
        if result:
            context = dict(result)
            template = context.pop("template")
            shown.append({"name": panel.name, "template": template, "context": context})
    return shown
