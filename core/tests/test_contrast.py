"""Status badges are readable (WCAG 2.x success criterion 1.4.3, level AA): every badge colour pair
in the style sheets has a contrast ratio of at least 4.5:1 (badges are small, normal-weight text)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
AA_NORMAL_TEXT = 4.5  # WCAG 2.x 1.4.3: 4.5:1 for normal text (3:1 only for 18pt, or 14pt bold, and larger)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x definition: sRGB channels linearised, weighted 0.2126 R + 0.7152 G + 0.0722 B."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def style_sheets() -> list[Path]:
    sheets = [*ROOT.glob("static/**/*.css"), *ROOT.glob("*/static/**/*.css")]
    return sorted(p for p in sheets if "node_modules" not in p.parts)


def rules(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        yield [s.strip() for s in selectors.split(",")], declarations


def variables() -> dict[str, str]:
    found = {}
    for sheet in style_sheets():
        for selectors, declarations in rules(sheet.read_text(encoding="utf-8")):
            if ":root" in selectors:
                found.update({k: v for k, v in declarations.items() if k.startswith("--")})
    return found


def colour(value: str, names: dict[str, str]) -> str:
    value = value.replace("!important", "").strip()
    while value.startswith("var("):
        value = names[re.match(r"var\((--[\w-]+)\)", value).group(1)]
    if value == "white":
        return "#ffffff"
    assert re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value), f"not a colour this test reads: {value}"
    return value


def badge_pairs() -> dict[str, tuple[str, str]]:
    """Each badge variant -> (text colour, background colour), the base `.badge` text colour applying
    unless the variant sets its own."""
    names = variables()
    base_text = None
    variants = {}
    for sheet in style_sheets():
        for selectors, declarations in rules(sheet.read_text(encoding="utf-8")):
            for selector in selectors:
                if selector == ".badge" and "color" in declarations:
                    base_text = colour(declarations["color"], names)
                elif re.fullmatch(r"\.badge(\.[\w-]+)+", selector):
                    variants.setdefault(selector, {}).update(declarations)
    assert base_text, "the .badge rule sets the text colour"
    pairs = {}
    for selector, declarations in variants.items():
        background = declarations.get("background-color", declarations.get("background"))
        if background is None:
            continue
        text = colour(declarations["color"], names) if "color" in declarations else base_text
        pairs[selector] = (text, colour(background.split()[0], names))
    return pairs


def test_the_formula_gives_the_values_of_the_standard():
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#000000", "#000000") == pytest.approx(1)
    # #767676 on white is the lightest grey that passes AA (4.54:1); #777777 fails (4.48:1).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_badges_of_the_issue_are_found():
    pairs = badge_pairs()
    assert {".badge.green", ".badge.amber", ".badge.red", ".badge.grey", ".badge.status-not_started"} <= set(pairs)


@pytest.mark.parametrize("selector", sorted(badge_pairs()))
def test_badge_text_meets_wcag_aa(selector):
    text, background = badge_pairs()[selector]
    ratio = contrast_ratio(text, background)
    assert ratio >= AA_NORMAL_TEXT, f"{selector}: {text} on {background} is {ratio:.2f}:1"


def test_the_old_amber_and_grey_would_fail():
    """The colours before issue 12: white on amber 3.6:1, white on grey 3.2:1."""
    assert contrast_ratio("#ffffff", "#b7791f") < AA_NORMAL_TEXT
    assert contrast_ratio("#ffffff", "#8a9099") < AA_NORMAL_TEXT
