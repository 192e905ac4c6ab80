"""Server-side charts: one description, drawn as SVG for the pages and as PNG (Pillow) for Word.
Nothing loads from the network; the PNG uses a CJK font found on the machine at runtime
(WenQuanYi Zen Hei, Noto Sans CJK, Source Han, Microsoft YaHei …) and falls back to Pillow's
default font when none is installed (the chart is still drawn; Chinese labels may not render)."""

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext, pgettext_lazy

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]
FONT_GLOBS = ["*wqy*", "*NotoSansCJK*", "*NotoSansSC*", "*SourceHanSans*", "*msyh*"]

RED = "#a4161a"
GREY = "#8a9099"
INK = "#1f2328"
LINE = "#dfe2e6"


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """The first CJK font file on this machine, or None."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
        base = Path(root)
        if base.is_dir():
            for pattern in FONT_GLOBS:
                for path in sorted(base.rglob(pattern)):
                    if path.suffix.lower() in (".ttc", ".ttf", ".otf"):
                        return str(path)
    return None


def _font(size: int):
    from PIL import ImageFont

    path = cjk_font_path()
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default()


@dataclass
class Chart:
    """A bar chart. `kind`: "hbar" (labels on the left) or "vbar" (labels below). `second`:
    optional second values drawn as darker bars inside the first (e.g. held of planned)."""

    title: str
    kind: str
    labels: list[str]
    values: list[float]
    unit: str = ""
    maximum: float | None = None
    second: list[float] = field(default_factory=list)
    legend: tuple[str, str] = ("", "")

    @property
    def top(self) -> float:
        return self.maximum or max([*self.values, 1])

    # --- geometry shared by SVG and PNG --------------------------------------------------
    def _hbar_layout(self):
        label_w, bar_w, row_h = 150, 300, 26
        height = 34 + row_h * max(len(self.labels), 3) + 10
        return label_w, bar_w, row_h, 520, height

    def _vbar_layout(self):
        n = max(len(self.labels), 1)
        slot = max(28, 460 // n)
        return slot, 40 + slot * n, 240

    # --- SVG ------------------------------------------------------------------------------
    def svg(self) -> str:
        if self.kind == "hbar":
            return mark_safe(self._svg_hbar())  # noqa: S308 - every label is escaped
        return mark_safe(self._svg_vbar())  # noqa: S308 - every label is escaped

    def _svg_open(self, width, height) -> list[str]:
        empty = not any(self.values)
        no_data = escape(gettext("暂无数据"))
        return [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(self.title)}" class="chart-svg">',
            f"<title>{escape(self.title)}</title>",
            f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}">{escape(self.title)}</text>',
            f'<text x="{width / 2}" y="{height / 2}" font-size="13" text-anchor="middle" fill="{GREY}">{no_data}</text>'
            if empty
            else "",
        ]

    def _svg_hbar(self) -> str:
        label_w, bar_w, row_h, width, height = self._hbar_layout()
        parts = self._svg_open(width, height)
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=False)):
            y = 34 + i * row_h
            w = bar_w * value / self.top if self.top else 0
            short = label if len(label) <= 10 else label[:9] + "…"
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end" fill="{INK}">'
                f"<title>{escape(label)}</title>{escape(short)}</text>"
            )
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="{LINE}"/>')
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" fill="{RED}"/>')
            parts.append(
                f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="12" fill="{INK}">'
                f"{_number(value)}{escape(self.unit)}</text>"
            )
        parts.append("</svg>")
        return "".join(parts)

    def _svg_vbar(self) -> str:
        slot, width, height = self._vbar_layout()
        base, plot_h = height - 30, height - 70
        parts = self._svg_open(width, height)
        parts.append(f'<line x1="30" y1="{base}" x2="{width}" y2="{base}" stroke="{GREY}"/>')
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=False)):
            x = 36 + i * slot
            h = plot_h * value / self.top if self.top else 0
            if h:
                parts.append(f'<rect x="{x}" y="{base - h:.1f}" width="{slot - 8}" height="{h:.1f}" fill="{LINE}"/>')
            if self.second and self.second[i]:
                h2 = plot_h * self.second[i] / self.top
                parts.append(f'<rect x="{x}" y="{base - h2:.1f}" width="{slot - 8}" height="{h2:.1f}" fill="{RED}"/>')
            if value:
                parts.append(
                    f'<text x="{x + (slot - 8) / 2}" y="{base - h - 4:.1f}" font-size="11" text-anchor="middle" '
                    f'fill="{INK}">{_number(value)}</text>'
                )
            parts.append(
                f'<text x="{x + (slot - 8) / 2}" y="{base + 16}" font-size="11" text-anchor="middle" fill="{INK}">'
                f"{escape(label)}</text>"
            )
        if self.legend[0]:
            parts.append(f'<rect x="{width - 170}" y="6" width="10" height="10" fill="{LINE}"/>')
            parts.append(f'<text x="{width - 156}" y="15" font-size="11" fill="{INK}">{escape(self.legend[0])}</text>')
            parts.append(f'<rect x="{width - 90}" y="6" width="10" height="10" fill="{RED}"/>')
            parts.append(f'<text x="{width - 76}" y="15" font-size="11" fill="{INK}">{escape(self.legend[1])}</text>')
        parts.append("</svg>")
        return "".join(parts)

    # --- PNG ------------------------------------------------------------------------------
    def png(self, scale: int = 2) -> bytes:
        from PIL import Image, ImageDraw

        if self.kind == "hbar":
            label_w, bar_w, row_h, width, height = self._hbar_layout()
        else:
            slot, width, height = self._vbar_layout()
        image = Image.new("RGB", (width * scale, height * scale), "white")
        draw = ImageDraw.Draw(image)
        s = scale
        title_font, font = _font(14 * s), _font(11 * s)
        draw.text((0, 2 * s), self.title, fill=INK, font=title_font)
        if not any(self.values):
            draw.text((width / 2 * s, height / 2 * s), gettext("暂无数据"), fill=GREY, font=font, anchor="mm")
        if self.kind == "hbar":
            for i, (label, value) in enumerate(zip(self.labels, self.values, strict=False)):
                y = 34 + i * row_h
                short = label if len(label) <= 10 else label[:9] + "…"
                w = bar_w * value / self.top if self.top else 0
                draw.text(((label_w - 6) * s, (y + 14) * s), short, fill=INK, font=font, anchor="rs")
                draw.rectangle([label_w * s, (y + 3) * s, (label_w + bar_w) * s, (y + 19) * s], fill=LINE)
                if w:
                    draw.rectangle([label_w * s, (y + 3) * s, (label_w + w) * s, (y + 19) * s], fill=RED)
                draw.text(
                    ((label_w + bar_w + 6) * s, (y + 14) * s),
                    f"{_number(value)}{self.unit}",
                    fill=INK,
                    font=font,
                    anchor="ls",
                )
        else:
            base, plot_h = height - 30, height - 70
            draw.line([30 * s, base * s, width * s, base * s], fill=GREY, width=s)
            for i, (label, value) in enumerate(zip(self.labels, self.values, strict=False)):
                x = 36 + i * slot
                h = plot_h * value / self.top if self.top else 0
                if h:
                    draw.rectangle([x * s, (base - h) * s, (x + slot - 8) * s, base * s], fill=LINE)
                if self.second and self.second[i]:
                    h2 = plot_h * self.second[i] / self.top
                    draw.rectangle([x * s, (base - h2) * s, (x + slot - 8) * s, base * s], fill=RED)
                centre = (x + (slot - 8) / 2) * s
                if value:
                    draw.text((centre, (base - h - 4) * s), _number(value), fill=INK, font=font, anchor="ms")
                draw.text((centre, (base + 16) * s), label, fill=INK, font=font, anchor="ms")
            if self.legend[0]:
                for offset, colour, text in ((170, LINE, self.legend[0]), (90, RED, self.legend[1])):
                    x = width - offset
                    draw.rectangle([x * s, 6 * s, (x + 10) * s, 16 * s], fill=colour)
                    draw.text(((x + 14) * s, 15 * s), text, fill=INK, font=font, anchor="ls")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- The three charts of the year -----------------------------------------------------------


def progress_chart(sections: list[dict]) -> Chart:
    return Chart(
        title=gettext("工作要点各部分平均进度"),
        kind="hbar",
        labels=[s["title"] for s in sections],
        values=[s["progress"] for s in sections],
        unit="%",
        maximum=100,
    )


def events_chart(months: list[tuple[int, int, int]]) -> Chart:
    return Chart(
        title=gettext("各月活动场次"),
        kind="vbar",
        labels=[pgettext("chart label", "%(month)s月") % {"month": m} for m, _, _ in months],
        values=[total for _, total, _ in months],
        second=[held for _, _, held in months],
        legend=(gettext("安排"), gettext("已举办")),
    )


# The funnel's stages as proposals.queries.year_proposal_funnel names them.
FUNNEL_LABELS = {
    "收到": pgettext_lazy("suggestion funnel", "收到"),
    "立案": pgettext_lazy("suggestion funnel", "立案"),
    "答复": pgettext_lazy("suggestion funnel", "答复"),
    "采纳": pgettext_lazy("suggestion funnel", "采纳"),
}


def funnel_chart(funnel: list[tuple[str, int]]) -> Chart:
    return Chart(
        title=gettext("建言献策办理情况"),
        kind="hbar",
        labels=[str(FUNNEL_LABELS.get(k, k)) for k, _ in funnel],
        values=[v for _, v in funnel],
        unit=gettext("件"),
    )


def year_charts(organisation, year: int) -> list[Chart]:
    """The three charts of `year` (plan progress by section, events by month, proposal funnel),
    in a handful of bounded queries. Also used by the UFD staff and leader home pages."""
    from events.queries import year_events_by_month
    from plans.queries import year_plan, year_section_progress
    from proposals.queries import year_proposal_funnel

    plan = year_plan(organisation, year)
    return [
        progress_chart(year_section_progress(plan) if plan else []),
        events_chart(year_events_by_month(organisation, year)),
        funnel_chart(year_proposal_funnel(organisation, year)),
    ]


def home_charts(organisation, year: int | None = None) -> dict:
    """Context for `reports/_year_charts.html` on the home pages: the charts of `year`, by default
    of the year of the latest published plan (this year's once it is published). Six queries at most."""
    from django.utils import timezone

    from plans.queries import latest_plan_year

    if year is None:
        today = timezone.localdate().year
        year = latest_plan_year(organisation, up_to=today) or today
    return {"year": year, "charts": year_charts(organisation, year)}
