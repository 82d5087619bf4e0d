"""Bar charts for the statistics page, drawn at build time as SVG markup (no charting script at run
time).

The charts are *inline* `<svg>` elements in the page rather than files beside it: the text then
takes the page's system fonts and language, prints with the page, needs no extra request, and a
screen reader gets the chart's `<title>`/`<desc>` where the chart stands. Every label comes from
content or the strings files and is therefore untrusted: the markup is built with
`xml.etree.ElementTree`, which escapes all text and attributes.

Design rules (see the statistics issue): `role="img"` with `aria-labelledby` pointing at a
`<title>` and a `<desc>` in the page's language; every bar carries its figure as text (nothing is
encoded by colour alone: the second series is a light, hatched bar and has a legend); a viewBox
360 units wide, so that the charts are drawn near 1:1 on a 360 px phone and scale with the
column; colours that stay distinct in greyscale; system fonts only. The output depends on the
input alone (no ids from counters, no dates), so the same content gives the same bytes.

`statistics_context()` is what the page renderer passes to `statistics.html`.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from collections.abc import Sequence

from markupsafe import Markup

WIDTH = 360  # viewBox width: one unit ~ one CSS pixel on a phone
PAD = 8
FONT = 13  # category and legend labels
VALUE_FONT = 12  # the figure at the end of each bar
BAR = 11  # bar thickness
_MIDDLE = 0.36  # baseline offset, in ems, that centres a line of text on a y (no dominant-baseline: print renderers differ)
# System fonts only, as the page's stylesheet: CJK faces first on Chinese pages (so Chinese
# punctuation is drawn by a Chinese face), Latin faces first on English ones (so English quotes
# and apostrophes are not full-width).
_CJK_FONTS = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
              '"WenQuanYi Micro Hei"')
_LATIN_FONTS = '"Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "DejaVu Sans"'
FONT_FAMILY = {"zh": f"-apple-system, BlinkMacSystemFont, {_CJK_FONTS}, {_LATIN_FONTS}, sans-serif",
               "en": f"-apple-system, BlinkMacSystemFont, {_LATIN_FONTS}, {_CJK_FONTS}, sans-serif"}
INK = "#1f1f1f"
MUTED = "#595959"
DARK = "#00564d"  # solid series: dark in greyscale too
LIGHT = "#a7d7cf"  # hatched series: light in greyscale, with dark stripes

SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Label:
    text: str
    lang: str | None = None  # set where the text is not in the page's language (e.g. a Chinese fallback)


@dataclass(frozen=True)
class Series:
    key: str  # e.g. "projects": written to data-series on each value label
    name: str  # legend text
    values: Sequence[float]
    hatched: bool = False


@dataclass(frozen=True)
class Panel:
    heading: str | None
    series: Sequence[Series]


# --- helpers ------------------------------------------------------------------------------

def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing '.0' (stable text for stable bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def figure(value: float) -> str:
    """A figure as the page prints it: thousands separated, no decimals for whole numbers."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _width(ch: str) -> float:
    """One character's rough width in ems (see text_width)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in " .,:;'’|!iIjlft()[]":
        return 0.3
    if ch.isupper() or ch in "mwMW²":
        return 0.72
    return 0.6  # DejaVu Sans, the widest common fallback, averages about this


def text_width(text: str, size: float) -> float:
    """Rough rendered width of `text` in the system sans-serif at `size` (wide CJK glyphs are one
    em; Latin letters and digits a little over half). Only used for layout margins."""
    width = 0.0
    for ch in text:
        width += _width(ch)
    return width * size


def _fitting(text: str, size: float, room: float, after: float = 0.0) -> int:
    """How many leading characters of `text` fit in `room` with `after` ems to follow them. One
    pass (a name may be thousands of characters long: shortening it a character at a time and
    measuring it again took minutes), summed in the same order as text_width, so the cut is the
    same to the last bit."""
    width = 0.0
    for index, ch in enumerate(text):
        width += _width(ch)
        if (width + after) * size > room:
            return index
    return len(text)


def _fit(text: str, size: float, room: float) -> str:
    """`text`, shortened with an ellipsis if it would need more than `room`."""
    if text_width(text, size) <= room:
        return text
    return text[: _fitting(text, size, room, after=_width("…"))].rstrip() + "…"


def _wrap(text: str, size: float, room: float, max_lines: int = 2) -> list[str]:
    """`text` in at most `max_lines` lines of at most `room`: broken at spaces where there are
    any (English), else between characters (Chinese); the last line shortened if need be."""
    lines: list[str] = []
    rest = text.strip()
    while rest and len(lines) < max_lines - 1 and text_width(rest, size) > room:
        cut = max(_fitting(rest, size, room), 1)
        space = rest.rfind(" ", 0, cut + 1)
        if space > 0:
            cut = space
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        lines.append(_fit(rest, size, room))
    return lines


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, label: Label | str, x: float, y: float, **attrs) -> ET.Element:
    label = label if isinstance(label, Label) else Label(label)
    element = _el(parent, "text", label.text, x=_num(x), y=_num(y), **attrs)
    if label.lang:
        element.set("lang", label.lang)
    return element


def _svg(chart_id: str, title: str, desc: str, height: float, lang: str) -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH} {_num(height)}", "width": str(WIDTH), "height": _num(height),
        "role": "img", "aria-labelledby": f"{chart_id}-title {chart_id}-desc", "id": chart_id,
        "class": "sc-chart__svg", "font-family": FONT_FAMILY.get(lang, FONT_FAMILY["en"]), "fill": INK,
    })
    _el(svg, "title", title, id=f"{chart_id}-title")
    _el(svg, "desc", desc, id=f"{chart_id}-desc")
    return svg


def _hatch(svg: ET.Element, chart_id: str) -> str:
    """A diagonal-stripe pattern for the second series; returns its id."""
    pattern_id = f"{chart_id}-hatch"
    defs = _el(svg, "defs")
    pattern = _el(defs, "pattern", id=pattern_id, width="5", height="5", patternUnits="userSpaceOnUse",
                  patternTransform="rotate(45)")
    _el(pattern, "rect", width="5", height="5", fill=LIGHT)
    _el(pattern, "line", x1="0", y1="0", x2="0", y2="5", stroke=DARK, stroke_width="1.6")
    return pattern_id


def _legend_layout(series: Sequence[Series]) -> tuple[list[tuple[float, int]], int]:
    """(x, line) of each legend item, wrapped to the width, and the number of lines."""
    x, line, places = PAD, 0, []
    for item in series:
        need = 14 + 5 + text_width(item.name, FONT) + 16
        if x > PAD and x + need > WIDTH - PAD:
            x, line = PAD, line + 1
        places.append((x, line))
        x += need
    return places, line + 1


def _legend(svg: ET.Element, series: Sequence[Series], hatch: str, y: float) -> None:
    """Swatches with their names: the fill (solid / hatched) tells the series apart, not colour."""
    places, _ = _legend_layout(series)
    for item, (x, line) in zip(series, places):
        top = y + line * 18
        _el(svg, "rect", x=_num(x), y=_num(top), width="14", height="12",
            fill=f"url(#{hatch})" if item.hatched else DARK, stroke=DARK, stroke_width="1")
        _text(svg, _fit(item.name, FONT, WIDTH - PAD - x - 19), x + 19, top + 6 + _MIDDLE * FONT, font_size=FONT)


def _serialise(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


# --- charts ---------------------------------------------------------------------------------

def grouped_bars(chart_id: str, title: str, desc: str, categories: Sequence[tuple[str, Label]],
                 panels: Sequence[Panel], lang: str = "zh") -> str:
    """Horizontal bars, one group per category (district), in one or more side-by-side panels
    (small multiples) that share one scale. Each bar is labelled with its figure; the series of a
    group are told apart by fill (solid / light hatched), not by colour alone, and a legend names
    them. `categories` are (key, label): the key goes to `data-key` of the value labels."""
    legend_series = list(panels[0].series)
    n_series = len(legend_series)
    label_room = min(max((text_width(label.text, FONT) for _, label in categories), default=0), WIDTH * 0.35)
    values = [v for panel in panels for s in panel.series for v in s.values]
    top_value = max(values, default=0)
    value_room = text_width(figure(top_value), VALUE_FONT) + 6
    x0 = PAD + label_room + 6
    gap = 10  # between panels
    panel_width = (WIDTH - PAD - x0 - gap * (len(panels) - 1)) / len(panels)
    plot_width = max(panel_width - value_room, 10)
    scale = plot_width / top_value if top_value else 0.0
    group_height = n_series * (BAR + 1) - 1
    pitch = group_height + 9

    has_headings = any(panel.heading for panel in panels)
    _, legend_lines = _legend_layout(legend_series)
    legend_height = legend_lines * 18 + 4
    rows_top = PAD + legend_height + (18 if has_headings else 0) + 4
    height = rows_top + len(categories) * pitch + PAD

    svg = _svg(chart_id, title, desc, height, lang)
    hatch = _hatch(svg, chart_id)
    _legend(svg, legend_series, hatch, PAD)
    if has_headings:
        for p, panel in enumerate(panels):
            if panel.heading:
                px = x0 + p * (panel_width + gap)
                _text(svg, _fit(panel.heading, FONT, panel_width), px, PAD + legend_height + 12,
                      font_size=FONT, font_weight="bold")
    y = rows_top

    for i, (key, label) in enumerate(categories):
        row_top = y + i * pitch
        _text(svg, Label(_fit(label.text, FONT, label_room), label.lang), x0 - 6, row_top + group_height / 2 + _MIDDLE * FONT,
              font_size=FONT, text_anchor="end")
        for p, panel in enumerate(panels):
            px = x0 + p * (panel_width + gap)
            for s, series in enumerate(panel.series):
                value = series.values[i]
                bar_top = row_top + s * (BAR + 1)
                width = value * scale
                if width > 0:
                    _el(svg, "rect", x=_num(px), y=_num(bar_top), width=_num(width), height=str(BAR),
                        fill=f"url(#{hatch})" if series.hatched else DARK,
                        stroke=DARK if series.hatched else "none", stroke_width="0.8",
                        class_="sc-chart__bar", data_key=key, data_series=series.key)
                _text(svg, figure(value), px + width + 3, bar_top + BAR / 2 + _MIDDLE * VALUE_FONT, font_size=VALUE_FONT,
                      class_="sc-chart__value", data_key=key, data_series=series.key)
    for p in range(len(panels)):  # the zero line of each panel, drawn over the bars' left edges
        px = x0 + p * (panel_width + gap)
        _el(svg, "line", x1=_num(px), y1=_num(y - 2), x2=_num(px), y2=_num(y + len(categories) * pitch - pitch + group_height + 2),
            stroke=MUTED, stroke_width="1")
    return _serialise(svg)


def labelled_bars(chart_id: str, title: str, desc: str, items: Sequence[tuple[str, Label, float, str]],
                  lang: str = "zh") -> str:
    """One horizontal bar per item, its name above the bar (names are long: up to two lines) and
    its value, as `value_text`, after the bar. `items` are (key, name, value, value_text)."""
    top_value = max((value for _, _, value, _ in items), default=0)
    value_room = max((text_width(text, VALUE_FONT) for *_, text in items), default=0) + 6
    plot_width = WIDTH - 2 * PAD - value_room
    scale = plot_width / top_value if top_value else 0.0
    line_height = FONT + 3
    names = [_wrap(name.text, FONT, WIDTH - 2 * PAD) for _, name, _, _ in items]
    height = PAD + sum(len(lines) * line_height + 1 + BAR + 1 + 10 for lines in names) + PAD - 10
    svg = _svg(chart_id, title, desc, height, lang)
    top = PAD
    for (key, name, value, value_text), lines in zip(items, names):
        for n, line in enumerate(lines):
            _text(svg, Label(line, name.lang), PAD, top + n * line_height + FONT - 1, font_size=FONT)
        bar_top = top + len(lines) * line_height + 1
        width = value * scale
        _el(svg, "rect", x=_num(PAD), y=_num(bar_top), width=_num(width), height=str(BAR + 1), fill=DARK,
            class_="sc-chart__bar", data_key=key)
        _text(svg, value_text, PAD + width + 3, bar_top + (BAR + 1) / 2 + _MIDDLE * VALUE_FONT, font_size=VALUE_FONT,
              class_="sc-chart__value", data_key=key, data_value=_num(value))
        top = bar_top + BAR + 1 + 10
    return _serialise(svg)


# --- the statistics page ----------------------------------------------------------------------

def statistics_context(collection, strings, lang: str) -> dict:
    """What `statistics.html` needs beyond the collection: for each plan table its two charts,
    and the competition sites grouped by year with a floor-area chart per year. A new year's plan
    table (a new file in cases/statistics/) gets its charts with no change here."""
    def t(key: str, **values) -> str:
        return strings.get(key, lang, **values)

    districts = collection.reference.districts
    plan_charts: dict[str, list[Markup]] = {}
    for plan in collection.plans_sorted():
        rows = sorted(plan.rows, key=lambda r: r.row)
        categories = [(r.district, Label(districts[r.district].name(lang))) for r in rows]

        def col(name: str) -> list[int]:
            return [getattr(r, name) for r in rows]

        projects = grouped_bars(
            f"chart-{plan.id}-projects", t("stats_chart_projects_title", year=plan.year),
            t("stats_chart_projects_desc", count=len(rows)), categories,
            [Panel(None, [Series("projects", t("stats_series_projects"), col("projects")),
                          Series("completed", t("stats_series_completed"), col("completed"), hatched=True)])], lang)
        facilities = grouped_bars(
            f"chart-{plan.id}-facilities", t("stats_chart_facilities_title", year=plan.year),
            t("stats_chart_facilities_desc", count=len(rows)), categories,
            [Panel(t("stats_renminfang"), [Series("renminfang", t("stats_series_planned"), col("renminfang")),
                                           Series("renminfang_completed", t("stats_series_completed"),
                                                  col("renminfang_completed"), hatched=True)]),
             Panel(t("stats_liuyiting"), [Series("liuyiting", t("stats_series_planned"), col("liuyiting")),
                                          Series("liuyiting_completed", t("stats_series_completed"),
                                                 col("liuyiting_completed"), hatched=True)])], lang)
        plan_charts[plan.id] = [Markup(projects), Markup(facilities)]

    by_year: dict[int, list] = {}
    for site in collection.sites_sorted():
        by_year.setdefault(site.year, []).append(site)
    site_years = []
    for year, sites in sorted(by_year.items()):
        ranked = sorted(sites, key=lambda s: (-s.floor_area_m2, s.number))  # largest first, ties in printed order
        unit = t("square_metres")
        items = [(s.id, Label(s.name.get(lang), None if s.name.has(lang) else "zh-Hans"), s.floor_area_m2,
                  f"{figure(s.floor_area_m2)} {unit}") for s in ranked]
        chart = labelled_bars(f"chart-sites-{year}", t("stats_chart_sites_title", year=year),
                              t("stats_chart_sites_desc", count=len(sites)), items, lang)
        # the documents every site of the year cites (Annex 2): where the areas come from
        common = [ref for ref in sites[0].sources if all(ref in site.sources for site in sites)]
        site_years.append({"year": year, "sites": sites, "chart": Markup(chart), "sources": common})
    return {"plan_charts": plan_charts, "site_years": site_years}
