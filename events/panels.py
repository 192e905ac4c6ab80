"""Panels that higher modules add to the staff event page, so events never imports them.

A module registers a template in its AppConfig.ready():

    from events.panels import register_detail_panel
    register_detail_panel("budget/_event_cost.html")

The event page includes every registered template with its own context (`event` among it); the
panel loads its data through its own template tag."""

DETAIL_PANELS: list[str] = []


def register_detail_panel(template_name: str) -> None:
    if template_name not in DETAIL_PANELS:
        DETAIL_PANELS.append(template_name)


def detail_panels() -> list[str]:
    return list(DETAIL_PANELS)
