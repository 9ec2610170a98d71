"""Charts of a results folder: one function per chart, tables in, :class:`~matplotlib.figure.Figure` out.

The chart functions draw exactly what the tables of :mod:`simulation.chart_data` hold —
no statistics are computed here. Conventions, the same in every chart:

* the title states the finding in words (``attrs["finding"]`` of the table);
* stations are named by their ``label``, axes carry units;
* the Okabe–Ito colour-blind-safe palette, the baseline policy always
  :data:`BASELINE_COLOUR`, the other policies in scenario order from :data:`POLICY_COLOURS`;
* 8 inches wide at 150 dpi (1200 px), no text smaller than 10 pt, so a chart pasted at half
  a slide stays readable;
* every word from :mod:`simulation.strings`, in English (``"en"``) or Indonesian (``"id"``).

:func:`write_charts` draws every chart a folder's tables allow and saves them as PNG files
(deterministic bytes: no timestamp or software version in the file).

Artists carry a ``gid`` naming what they show (``"<policy>"``, ``"<policy>/<station>"``,
``"<policy>/<reason>"``, ``"mean/<station>"`` ...), so tests and notebooks can find the
data handed to matplotlib.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from . import chart_data as cd
from .strings import STRINGS, check_lang, fmt_clock, fmt_minutes, fmt_number, fmt_pct, t, weekday_name
from .workers import for_each_result

__all__ = [
    "BASELINE_COLOUR",
    "DPI",
    "POLICY_COLOURS",
    "RUN_CHARTS",
    "chart_names",
    "chart_not_served",
    "chart_officers_by_hour",
    "chart_queue_over_day",
    "chart_staffing",
    "chart_standard_met",
    "chart_sweep",
    "chart_utilisation",
    "chart_wait_by_hour",
    "chart_wait_distribution",
    "days_text",
    "draw_charts",
    "empty_places_text",
    "finding_text",
    "policy_colours",
    "save_figure",
    "write_charts",
]

# Okabe & Ito (2008), "Color Universal Design".
BASELINE_COLOUR = "#0072B2"  # blue: the baseline, in every chart
POLICY_COLOURS = ("#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
STATION_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
OFFICE_COLOURS = ("#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#0072B2", "#D55E00", "#999999")
"""One colour per office in the city chart (Okabe–Ito, colour-blind safe)."""
INK = "#333333"
STANDARD_STYLE = {"color": "black", "linestyle": "--", "linewidth": 1.5}
TARGET_STYLE = {"color": "#555555", "linestyle": ":", "linewidth": 1.8}
HATCHES = {"turned_away": "", "balked": "//", "reneged": ".."}

DPI = 150
WIDTH = 8.0  # inches: 1200 px at 150 dpi
TITLE_SIZE = 13
PANEL_TITLE_SIZE = 11
LABEL_SIZE = 11
TICK_SIZE = 10
LEGEND_SIZE = 10
NOTE_SIZE = 10
TITLE_WRAP = 68

RUN_CHARTS = ("standard_met", "wait_distribution", "wait_by_hour", "queue_over_day", "utilisation", "not_served")
"""Charts every ``loket run`` folder with visits has (others, such as ``wait_by_weekday`` and
``classes``, are drawn when the scenario gives them something to show; see :data:`CHARTS`)."""


# ---------------------------------------------------------------------------------------
# Shared pieces


def policy_colours(policies) -> dict[str, str]:
    """Colour of each policy: the first (the baseline) always :data:`BASELINE_COLOUR`."""
    policies = list(policies)
    out = {}
    for i, p in enumerate(policies):
        out[p] = BASELINE_COLOUR if i == 0 else POLICY_COLOURS[(i - 1) % len(POLICY_COLOURS)]
    return out


def _width(policy: str, policies: list[str]) -> float:
    """Line width: the baseline, drawn first, is wider, so a policy that changes nothing shows as a blue halo."""
    return 3.6 if policy == policies[0] else 2.0


SAME_STYLE = {"linestyle": (0, (4, 3))}
"""A policy whose curve coincides with an earlier policy's is drawn dashed on top of it."""


def _coinciding(part: pd.DataFrame, policies: list[str], column: str) -> dict[str, str]:
    """In one panel: each policy whose ``column`` curve is identical to an earlier policy's -> that policy.

    Drawn one over the other, identical lines hide each other (a policy that changes nothing
    at a desk looks as if it were missing): such a line is dashed and the panel says so.
    """
    curves = {p: part.loc[part.policy == p, column].to_numpy(dtype=float) for p in policies}
    same: dict[str, str] = {}
    for i, p in enumerate(policies):
        for q in policies[:i]:
            if q not in same and len(curves[p]) and len(curves[p]) == len(curves[q]) and np.allclose(
                    curves[p], curves[q], rtol=0, atol=1e-9, equal_nan=True):
                same[p] = q
                break
    return same


def _coinciding_legend(found: dict, table: pd.DataFrame, colours: dict, lang: str) -> tuple[list, list[str]]:
    """Legend entries saying which policies' lines coincide, and at which desks.

    ``found``: ``(policy, earlier policy) -> [station labels]`` from :func:`_coinciding` per panel.
    """
    handles, labels = [], []
    for (p, q), stations in found.items():
        handles.append(Line2D([], [], color=colours[p], linewidth=2.0, **SAME_STYLE))
        policy, other = _policy_label(p, table, lang), _policy_label(q, table, lang)
        labels.append(_whole_labels(t("same_curve", lang, policy=policy, other=other, stations=_join(stations, lang)),
                                    [policy, other]))
    return handles, labels


def _policy_label(policy: str, table: pd.DataFrame, lang: str) -> str:
    """A policy's display label (its ``label`` in the scenario, else its name), baseline marked."""
    name = table.attrs.get("policy_labels", {}).get(policy, str(policy))
    return t("baseline_suffix", lang, policy=name) if policy == table.attrs["policies"][0] else name


def _count(x: float, lang: str) -> str:
    x = float(x)
    digits = 0 if (not math.isfinite(x) or abs(x) >= 10 or abs(x - round(x)) < 1e-9) else 1
    return fmt_number(x, digits, lang)


def _join(items: list[str], lang: str) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("list_and", lang) + items[-1]


def finding_text(finding: dict | None, lang: str = "en", policy_labels: dict | None = None) -> str:
    """A table's ``attrs["finding"]`` in words (see :mod:`simulation.chart_data`).

    Policies (the ``policy`` and ``baseline`` arguments) appear by their display label.
    """
    if not finding:
        return ""
    args = {}
    labels = policy_labels or {}
    for name, (kind, value) in finding.get("args", {}).items():
        if name in ("policy", "baseline") and kind == "text":
            args[name] = labels.get(value, str(value))
        elif kind == "policy":  # a standard policy, in the reader's language
            args[name] = standard_policy_label(value, lang)
        elif kind == "pct":
            args[name] = fmt_pct(value, lang)
        elif kind == "min":
            args[name] = fmt_minutes(value, lang)
        elif kind == "count":
            args[name] = _count(value, lang)
        elif kind == "clock":
            args[name] = fmt_clock(value, lang)
        elif kind == "class":
            key = f"class_name_{value}"
            args[name] = t(key, lang) if key in STRINGS[lang] else str(value).replace("_", " ")
        elif kind == "weekday":
            args[name] = weekday_name(value, lang, long=True)
        elif kind == "weekdays":
            args[name] = _join([weekday_name(v, lang) for v in value], lang)
        elif kind == "list":
            args[name] = _join(value, lang)
        elif kind == "empty_items":  # [(policy, empty_desks entries)], chart_data.officers_by_hour_table
            args[name] = "; ".join(t("obh_title_item", lang, places=empty_places_text(entries, lang),
                                     policy=labels.get(policy, str(policy))) for policy, entries in value)
        elif kind == "pct_of":
            share, at_home, staff = value
            args[name] = t("share_of_staff", lang, share=fmt_pct(share, lang), at_home=at_home, staff=staff)
        else:
            args[name] = str(value)
    return t(finding["key"], lang, **args)


def empty_places_text(entries: list[dict], lang: str, reasons: bool = False) -> str:
    """Where a policy leaves a desk with nobody at the counter, in words: "Meja pelayanan on Tue
    and Thu 13:00–16:00" (``entries``: one policy's :func:`simulation.chart_data.empty_desks`).
    With ``reasons``, each desk says why ("the one officer the roster puts there then works
    from home")."""
    places = []
    for entry in entries:
        whens = []
        for span in entry["spans"]:
            ranges = _join([t("range", lang, a=fmt_clock(a, lang), b=fmt_clock(b, lang)) for a, b in span["ranges"]],
                           lang)
            whens.append(t("obh_when_every_day", lang, ranges=ranges) if span["every_day"] else
                         t("obh_when_days", lang, days=_join([weekday_name(d, lang) for d in span["days"]], lang),
                           ranges=ranges))
        place = t("obh_place", lang, label=entry["label"], when=_join(whens, lang))
        if reasons:
            n = entry.get("at_home")
            reason = ("obh_reason_roster" if entry["reason"] == "roster" else "obh_reason_mixed"
                      if entry["reason"] == "mixed" else "obh_reason_home_one" if n == 1 else "obh_reason_home"
                      if n else "obh_reason_home_all")
            place = t("obh_place_reason", lang, place=place, reason=t(reason, lang, n=n))
        places.append(place)
    return _join(places, lang)


def standard_policy_label(policy: str, lang: str) -> str:
    """A standard city policy (``full_office``, ``wfa_thu_fri``, ``wfh_25``, ``wfh_50``) in words;
    the hypothetical ones say so. Any other policy: its name."""
    key = f"city_policy_{policy}"
    return t(key, lang) if key in STRINGS[lang] else str(policy)


_KEEP_TOGETHER = re.compile(r"(\d) (%|min\b|menit\b|people\b|orang\b)")


def _wrap(text: str, width: int) -> str:
    """Wrap at spaces only (never inside "KTP-el", never between a number and its unit)."""
    text = _KEEP_TOGETHER.sub("\\1\u00a0\\2", str(text))
    return "\n".join(textwrap.fill(part, width, break_long_words=False, break_on_hyphens=False)
                     for part in text.split("\n"))


def _starred(label: str, station: str, table: pd.DataFrame) -> str:
    """A desk's label, with "*" when a note under the chart says it only looks better (:func:`_with_notes`)."""
    noted = {n.get("station") for n in table.attrs.get("downstream") or []}
    return f"{label} *" if station in noted else label


def _with_notes(label: str, table: pd.DataFrame, lang: str, width: int = 95) -> str:
    """An axis label with the table's ``attrs["downstream"]`` notes under it
    (:func:`simulation.chart_data.downstream_notes`): a desk that looks better under a policy
    only because citizens are held up before it says so on the chart that shows it."""
    notes = [finding_text(n, lang) for n in table.attrs.get("downstream") or []]
    return "\n".join([label] + [_wrap(f"* {n}", width) for n in notes])


def _figure(height: float) -> Figure:
    fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=0.08, h_pad=0.08, wspace=0.05, hspace=0.06)
    return fig


LONGEST_WHOLE_LABEL = 45
"""A policy or desk label up to this many characters is never broken across title lines."""


def _whole_labels(text: str, labels) -> str:
    """``text`` with each of ``labels`` (policy and desk names) held together by no-break spaces.

    A title names policies and desks by their labels ("Half at home + online letters, recall");
    broken over two lines, a label reads as two things. Labels longer than
    :data:`LONGEST_WHOLE_LABEL` characters may still break (a title line must fit the figure).
    """
    for label in sorted({str(x) for x in labels if x and len(str(x)) <= LONGEST_WHOLE_LABEL}, key=len, reverse=True):
        whole = label.replace(" ", "\u00a0")
        # "(City decision: everyone in: 99 %)": the label and its number stay on one line
        text = re.sub(re.escape(label) + r"(:? (?=[\d−+-]))?",
                      lambda m, whole=whole: whole + (":\u00a0" if m.group(1) else ""), text)
    return text


def _title(fig: Figure, table: pd.DataFrame, lang: str) -> None:
    labels = table.attrs.get("policy_labels")
    text = finding_text(table.attrs.get("finding"), lang, labels)
    fig.set_label(text)  # the plain title, for the PNG's metadata and the report's alt text
    names = [*(labels or {}).values(), *(table["label"].dropna().unique() if "label" in table else ())]
    fig.suptitle(_wrap(_whole_labels(text, names), TITLE_WRAP), fontsize=TITLE_SIZE, fontweight="bold")


def _style(ax, grid_axis: str = "both") -> None:
    ax.tick_params(labelsize=TICK_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, axis=grid_axis, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def _policy_legend(fig: Figure, table: pd.DataFrame, lang: str, handles: list, extra: list | tuple = (),
                   ci_handle=None) -> None:
    """The legend of a bar chart: one entry per policy (``handles``, in policy order), then the
    ``extra`` ``(handle, label)`` entries, then the confidence interval if one was drawn."""
    labels = [_policy_label(p, table, lang) for p in table.attrs["policies"]]
    handles = list(handles)
    for handle, label in extra:
        handles.append(handle)
        labels.append(label)
    if ci_handle is not None:
        handles.append(ci_handle)
        labels.append(t("ci95_replications", lang))
    _legend(fig, handles, labels)


def _legend(fig: Figure, handles: list, labels: list[str]) -> None:
    """One legend for the whole figure, below everything else, in as many columns as fit."""
    labels = [_wrap(lab, 75) for lab in labels]  # no entry wider than the figure
    width_in = [0.55 + 0.085 * max(len(line) for line in str(lab).split("\n")) for lab in labels]
    ncols = len(labels)
    while ncols > 1:
        rows = [width_in[i : i + ncols] for i in range(0, len(width_in), ncols)]
        col_widths = [max(r[c] for r in rows if c < len(r)) for c in range(ncols)]
        if sum(col_widths) <= WIDTH - 0.4:
            break
        ncols -= 1
    # Every legend row beyond the first makes the figure taller by one row, so that a long list of
    # policies never squeezes the panels (and their axis labels) above it.
    rows = [labels[i : i + ncols] for i in range(0, len(labels), ncols)]
    lines = sum(max(str(lab).count("\n") + 1 for lab in row) for row in rows)
    if lines > 1:
        extra = (lines - 1) * 1.5 * LEGEND_SIZE / 72
        fig.set_figheight(round((fig.get_figheight() + extra) * DPI) / DPI)  # a whole number of pixels
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, frameon=False, fontsize=LEGEND_SIZE,
               handlelength=2.2, columnspacing=1.4)


def _panels(n: int, row_height: float = 2.6, extra: float = 2.1):
    """A figure with one panel per station (1, 2 or 3 columns): ``(figure, body, axes)``.

    The panels and their shared axis labels live in the subfigure ``body``, so that the
    figure's legend (below) and title (above) never collide with them.
    """
    ncols = 1 if n == 1 else 2 if n in (2, 4) else 3
    nrows = math.ceil(n / ncols)
    fig = _figure(extra + row_height * nrows)
    body = fig.subfigures(1, 1)
    axes = body.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        body.delaxes(ax)
    for ax in axes[:n]:
        _style(ax)
    return fig, body, list(axes[:n])



def _station_panels(table: pd.DataFrame, lang: str):
    """The common start of a chart with one panel per station: policies, colours, panels."""
    check_lang(lang)
    policies = table.attrs["policies"]
    stations = _stations(table)
    fig, body, axes = _panels(len(stations))
    return policies, policy_colours(policies), stations, fig, body, axes, min(len(stations), 3)

def _panel_title(ax, label: str, ncols: int) -> None:
    ax.set_title(_wrap(label, 26 if ncols >= 3 else 40), fontsize=PANEL_TITLE_SIZE)


def _stations(table: pd.DataFrame) -> list[tuple[str, str]]:
    first = table.drop_duplicates("station")
    return list(zip(first["station"], first["label"]))


def _clock_ticks(ax, start: float, stop: float, lang: str = "en", most: int = 5) -> None:
    """At most ``most`` ticks on whole clock hours (every 1, 2, 3, 4, 6 ... hours), labelled ``08:00`` (``08.00``)."""
    for step in (1, 2, 3, 4, 6, 8, 12, 24):
        first = math.ceil(start / step - 1e-9) * step
        ticks = np.arange(first, stop + 1e-9, step)
        if len(ticks) <= most:
            break
    ax.set_xticks(ticks, [fmt_clock(60 * x, lang) for x in ticks])


def days_text(days: list[str], lang: str) -> str:
    """Weekday names, shortened: "Mon–Thu" for a run of consecutive days."""
    order = [cd.DAY_NAMES.index(d) for d in days]
    order.sort()
    if len(order) > 2 and order == list(range(order[0], order[-1] + 1)):
        return f"{weekday_name(order[0], lang)}–{weekday_name(order[-1], lang)}"
    return _join([weekday_name(d, lang) for d in order], lang)


def _mark_day(ax, table: pd.DataFrame, start: float, stop: float, lang: str, station: str) -> tuple[list, list]:
    """Shade the breaks and draw each weekday's closing time on a time-of-day panel.

    Returns legend ``(handles, labels)`` for what was drawn (the same on every panel).
    """
    handles, labels = [], []
    breaks = table.attrs.get("breaks") or []
    if breaks:
        for br in breaks:
            ax.axvspan(br["start"], br["end"], facecolor="none", edgecolor="#aaaaaa", hatch="//", linewidth=0,
                       gid=f"break/{station}")
        when = "; ".join(f"{days_text(br['days'], lang)} {fmt_clock(60 * br['start'], lang)}–"
                         f"{fmt_clock(60 * br['end'], lang)}" for br in breaks)
        handles.append(Patch(facecolor="none", edgecolor="#aaaaaa", hatch="//", linewidth=0))
        labels.append(t("chart_break", lang, when=when))
    closes = [c for c in table.attrs.get("closes") or [] if start < c["hour"] < stop + 0.5]
    if closes:
        for c in closes:
            ax.axvline(c["hour"], gid=f"close/{station}", **TARGET_STYLE)
        when = "; ".join(f"{fmt_clock(60 * c['hour'], lang)} {days_text(c['days'], lang)}" for c in closes)
        handles.append(Line2D([], [], **TARGET_STYLE))
        labels.append(t("chart_closing", lang, when=when) if len(closes) > 1 else t("queue_closing", lang))
    return handles, labels


def _hbar_groups(ax, table: pd.DataFrame, value: str, low: str, high: str, station_labels: list[str],
                 lang: str) -> list:
    """Horizontal bars, one group per station (top to bottom), one bar per policy, with error bars."""
    policies = table.attrs["policies"]
    colours = policy_colours(policies)
    stations = [s for s, _ in _stations(table)]
    n_p = len(policies)
    h = 0.8 / n_p
    handles, ci_handle = [], None
    for j, policy in enumerate(policies):
        rows = table[table.policy == policy].set_index("station").reindex(stations)
        y = np.arange(len(stations)) + (j - (n_p - 1) / 2) * h
        x = rows[value].to_numpy(dtype=float)
        known = np.isfinite(x)
        bars = ax.barh(y[known], x[known], height=h * 0.88, color=colours[policy], gid=policy,
                       label=_policy_label(policy, table, lang))
        handles.append(bars)
        lo = rows[low].to_numpy(dtype=float)
        hi = rows[high].to_numpy(dtype=float)
        ci = known & np.isfinite(lo) & np.isfinite(hi)
        if ci.any():
            ci_handle = ax.errorbar(
                x[ci], y[ci], xerr=[np.maximum(x[ci] - lo[ci], 0), np.maximum(hi[ci] - x[ci], 0)],
                fmt="none", ecolor=INK, elinewidth=1.2, capsize=3, gid=f"ci/{policy}")
        for k in range(len(stations)):
            if known[k]:
                end = max(x[k], hi[k]) if np.isfinite(hi[k]) else x[k]
                ax.text(end + 1.5, y[k], fmt_pct(x[k] / 100, lang), va="center", ha="left", fontsize=NOTE_SIZE,
                        color=INK, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.85},
                        gid=f"value/{policy}")
            else:
                ax.text(1.5, y[k], t("no_data", lang), va="center", ha="left", fontsize=NOTE_SIZE, color=INK)
    ax.set_yticks(np.arange(len(stations)), station_labels)
    ax.set_ylim(len(stations) - 0.5, -0.5)  # first station on top, baseline first within each group
    ax.set_xlim(0, 113)
    ax.set_xticks(np.arange(0, 101, 20), [fmt_pct(x / 100, lang) for x in np.arange(0, 101, 20)])
    ax.tick_params(axis="y", length=0)
    return handles, ci_handle


def _values_off_line(fig: Figure, ax, x_line: float) -> None:
    """Move each bar's value label (drawn by :func:`_hbar_groups`) that would sit on the
    vertical line at ``x_line`` (the required standard) to just right of it.

    A label crossed by the dashed line is hard to read and looks like part of the line. Only
    a label that starts left of the line can cross it; its bar and interval then end left of
    the line too, so just right of the line is free. Measured on the laid-out figure.
    """
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    line_px = ax.transData.transform((x_line, 0))[0]
    gap_px = ax.transData.transform((1.5, 0))[0] - ax.transData.transform((0, 0))[0]
    for text in ax.texts:
        if not str(text.get_gid()).startswith("value/"):
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < line_px + gap_px / 2 and box.x1 + gap_px / 2 > line_px:
            text.set_x(x_line + 1.5)


def _bars_height(n_stations: int, n_policies: int) -> float:
    return 2.2 + n_stations * (0.3 * n_policies + 0.3)


# ---------------------------------------------------------------------------------------
# 1. Service standard met (the headline)


def chart_standard_met(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Share of citizens called within each station's standard, per station and policy, with 95 % CIs.

    ``table``: :func:`simulation.chart_data.standard_met_table`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    fig = _figure(_bars_height(table.station.nunique(), len(policies)))
    ax = fig.add_subplot()
    _style(ax, grid_axis="x")
    first = table.drop_duplicates("station")
    labels = [
        t("sm_citizens_label", lang) if station == cd.CITIZENS_ROW else
        t("station_with_target", lang, label=_wrap(_starred(lab, station, table), 22), target=_count(target, lang))
        for station, lab, target in zip(first["station"], first["label"], first["target_wait_minutes"])
    ]
    handles, ci_handle = _hbar_groups(ax, table, "share_pct", "ci_low_pct", "ci_high_pct", labels, lang)
    required = table.attrs["required_pct"]
    line = ax.axvline(required, gid="required", **STANDARD_STYLE)
    # Centred under the bars, not the figure: narrower lines stay inside it.
    ax.set_xlabel(_with_notes(t("sm_xlabel", lang), table, lang, width=72), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    _policy_legend(fig, table, lang, handles,
                   [(line, t("required_line", lang, required=fmt_pct(required / 100, lang)))], ci_handle)
    _values_off_line(fig, ax, required)
    return fig


# ---------------------------------------------------------------------------------------
# 2. Waiting-time distribution


def chart_wait_distribution(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Share of citizens called within each wait (an ECDF), one panel per station, target marked.

    ``table``: :func:`simulation.chart_data.wait_ecdf_table`.
    """
    policies, colours, stations, fig, body, axes, ncols = _station_panels(table, lang)
    found: dict = {}  # (policy, earlier policy) -> desks where their lines coincide
    for ax, (station, label) in zip(axes, stations):
        part = table[table.station == station]
        same = _coinciding(part, policies, "share_pct")
        for pair in same.items():
            found.setdefault(pair, []).append(label)
        for policy in policies:
            rows = part[part.policy == policy]
            ax.step(rows["wait"], rows["share_pct"], where="post", color=colours[policy],
                    linewidth=_width(policy, policies), gid=f"{policy}/{station}",
                    **(SAME_STYLE if policy in same else {}))
        ax.axvline(part["target_wait_minutes"].iloc[0], gid=f"target/{station}", **TARGET_STYLE)
        ax.set_ylim(0, 103)
        ax.set_xlim(0, table["wait"].max())  # one wait axis for every desk: panels read side by side
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        _panel_title(ax, _starred(label, station, table), ncols)
    body.supxlabel(_with_notes(t("ecdf_xlabel", lang), table, lang), fontsize=LABEL_SIZE)
    body.supylabel(t("ecdf_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Line2D([], [], color=colours[p], linewidth=_width(p, policies)) for p in policies]
    handles.append(Line2D([], [], **TARGET_STYLE))
    same_handles, same_labels = _coinciding_legend(found, table, colours, lang)
    _legend(fig, handles + same_handles,
            [_policy_label(p, table, lang) for p in policies] + [t("target_line", lang)] + same_labels)
    return fig


# ---------------------------------------------------------------------------------------
# 3. Mean wait by hour of arrival


def chart_wait_by_hour(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Mean wait by clock hour of arrival, one panel per station, one line per policy with its 95 % CI band.

    ``table``: :func:`simulation.chart_data.hourly_wait_table`.
    """
    policies, colours, stations, fig, body, axes, ncols = _station_panels(table, lang)
    start, stop = table["x_hours"].min(), table["x_hours"].max()
    found: dict = {}  # (policy, earlier policy) -> desks where their lines coincide
    for ax, (station, label) in zip(axes, stations):
        part = table[table.station == station]
        same = _coinciding(part, policies, "mean_wait")
        for pair in same.items():
            found.setdefault(pair, []).append(label)
        for policy in policies:
            rows = part[part.policy == policy]
            ax.fill_between(rows["x_hours"], rows["ci_low"], rows["ci_high"], color=colours[policy], alpha=0.2,
                            linewidth=0, gid=f"band/{policy}/{station}")
            ax.plot(rows["x_hours"], rows["mean_wait"], color=colours[policy], linewidth=_width(policy, policies),
                    marker="o", markersize=4, gid=f"{policy}/{station}", **(SAME_STYLE if policy in same else {}))
        marks = _mark_day(ax, table, start - 0.3, stop + 0.3, lang, station)
        ax.set_ylim(bottom=0)
        ax.set_xlim(start - 0.3, stop + 0.3)
        _clock_ticks(ax, start, stop, lang)
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        _panel_title(ax, _starred(label, station, table), ncols)
    body.supxlabel(_with_notes(t("hour_xlabel", lang), table, lang), fontsize=LABEL_SIZE)
    body.supylabel(t("hour_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Line2D([], [], color=colours[p], linewidth=_width(p, policies), marker="o", markersize=4)
               for p in policies]
    labels = [_policy_label(p, table, lang) for p in policies]
    if table["ci_low"].notna().any():
        handles.append(Patch(color="#999999", alpha=0.35, linewidth=0))
        labels.append(t("ci95_replications", lang))
    same_handles, same_labels = _coinciding_legend(found, table, colours, lang)
    _legend(fig, handles + marks[0] + same_handles, labels + marks[1] + same_labels)
    return fig


# ---------------------------------------------------------------------------------------
# 4. Queue length over the day


def chart_queue_over_day(table: pd.DataFrame, lang: str = "en") -> Figure:
    """People waiting through the day (mean over days and replications), one panel per station.

    ``table``: :func:`simulation.chart_data.queue_over_day_table`.
    """
    policies, colours, stations, fig, body, axes, ncols = _station_panels(table, lang)
    start, stop = table["x_hours"].min(), table["x_hours"].max()
    close = table.attrs.get("close_hours")
    found: dict = {}  # (policy, earlier policy) -> desks where their lines coincide
    for ax, (station, label) in zip(axes, stations):
        part = table[table.station == station]
        same = _coinciding(part, policies, "mean_queue")
        for pair in same.items():
            found.setdefault(pair, []).append(label)
        for policy in policies:
            rows = part[part.policy == policy]
            ax.fill_between(rows["x_hours"], rows["band_low"], rows["band_high"], color=colours[policy], alpha=0.2,
                            linewidth=0, gid=f"band/{policy}/{station}")
            ax.plot(rows["x_hours"], rows["mean_queue"], color=colours[policy], linewidth=_width(policy, policies),
                    gid=f"{policy}/{station}", **(SAME_STYLE if policy in same else {}))
        if table.attrs.get("closes") is not None:
            marks = _mark_day(ax, table, start, stop, lang, station)
        elif close is not None and start < close < stop:  # a table made without the scenario's calendar
            ax.axvline(close, gid=f"close/{station}", **TARGET_STYLE)
            marks = ([Line2D([], [], **TARGET_STYLE)], [t("queue_closing", lang)])
        else:
            marks = ([], [])
        ax.set_ylim(bottom=0)
        ax.set_xlim(start, stop)
        _clock_ticks(ax, start, stop, lang)
        ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        _panel_title(ax, label, ncols)
    body.supxlabel(t("queue_xlabel", lang), fontsize=LABEL_SIZE)
    body.supylabel(t("queue_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Line2D([], [], color=colours[p], linewidth=_width(p, policies)) for p in policies]
    labels = [_policy_label(p, table, lang) for p in policies]
    if table["band_high"].notna().any():
        handles.append(Patch(color="#999999", alpha=0.35, linewidth=0))
        labels.append(t("ci95_replications", lang))
    same_handles, same_labels = _coinciding_legend(found, table, colours, lang)
    _legend(fig, handles + marks[0] + same_handles, labels + marks[1] + same_labels)
    return fig


# ---------------------------------------------------------------------------------------
# 5. Utilisation


def chart_utilisation(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Share of on-site officer time spent serving, per station and policy, with 95 % CIs.

    ``table``: :func:`simulation.chart_data.utilisation_table`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    fig = _figure(_bars_height(table.station.nunique(), len(policies)))
    ax = fig.add_subplot()
    _style(ax, grid_axis="x")
    labels = [_wrap(lab, 22) for _, lab in _stations(table)]
    handles, ci_handle = _hbar_groups(ax, table, "util_pct", "ci_low_pct", "ci_high_pct", labels, lang)
    ax.set_xlabel(t("util_xlabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    _policy_legend(fig, table, lang, handles, ci_handle=ci_handle)
    return fig


# ---------------------------------------------------------------------------------------
# 6. Citizens not served


def chart_not_served(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Citizens sent home unserved per simulated day and policy, stacked by reason, 95 % CI on the total.

    Drawn even when nobody was sent home — zero bars, and a title that says so.
    ``table``: :func:`simulation.chart_data.not_served_table`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    colours = policy_colours(policies)
    days = list(dict.fromkeys(table["day"]))
    weekdays = table.drop_duplicates("day")["weekday"].tolist()
    fig = _figure(5.0)
    ax = fig.add_subplot()
    _style(ax, grid_axis="y")
    n_p = len(policies)
    width = 0.8 / n_p
    x0 = np.arange(len(days))
    reasons_present = [r for r in cd.REASONS if (table[r].fillna(0) > 0).any()]
    ci_handle = None
    for j, policy in enumerate(policies):
        rows = table[table.policy == policy].set_index("day").reindex(days)
        x = x0 + (j - (n_p - 1) / 2) * width
        bottom = np.zeros(len(days))
        for reason in cd.REASONS:
            height = rows[reason].fillna(0).to_numpy(dtype=float)
            ax.bar(x, height, width * 0.9, bottom=bottom, color=colours[policy], hatch=HATCHES[reason],
                   edgecolor="white", linewidth=0.6, gid=f"{policy}/{reason}")
            bottom = bottom + height
        total = rows["total"].to_numpy(dtype=float)
        lo = rows["total_ci_low"].to_numpy(dtype=float)
        hi = rows["total_ci_high"].to_numpy(dtype=float)
        ci = np.isfinite(total) & np.isfinite(lo) & np.isfinite(hi) & (hi > lo)
        if ci.any():
            yerr = [np.maximum(total[ci] - lo[ci], 0), np.maximum(hi[ci] - total[ci], 0)]
            ci_handle = ax.errorbar(x[ci], total[ci], yerr=yerr,
                        fmt="none", ecolor=INK, elinewidth=1.2, capsize=3, gid=f"ci/{policy}")
    step = max(1, math.ceil(len(days) / 10))
    if table.attrs.get("by_week"):
        ax.set_xticks(x0[::step], [t("ns_week", lang, week=d) for d in days[::step]])
    else:
        ax.set_xticks(x0[::step], [t("ns_day", lang, day=d, weekday=weekday_name(w, lang))
                                   for d, w in zip(days[::step], weekdays[::step])])
    ax.set_xlim(-0.5, len(days) - 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(6, integer=True))
    if table.attrs.get("all_zero"):
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, t("ns_none_note", lang), transform=ax.transAxes, ha="center", va="center",
                fontsize=LABEL_SIZE, color=INK, gid="none_note")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel(t("ns_xlabel_week" if table.attrs.get("by_week") else "ns_xlabel", lang), fontsize=LABEL_SIZE)
    ax.set_ylabel(t("ns_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    reasons = [(Patch(facecolor="#666666", hatch=HATCHES[reason], edgecolor="white"), t(f"ns_reason_{reason}", lang))
               for reason in reasons_present]
    _policy_legend(fig, table, lang, [Patch(color=colours[p]) for p in policies], reasons, ci_handle)
    return fig


# ---------------------------------------------------------------------------------------
# 6b. Waits by weekday, outcomes by priority class


def chart_wait_by_weekday(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Mean wait at the counters (every visit, all stations) per weekday, one bar per policy, 95 % CIs.

    ``table``: :func:`simulation.chart_data.weekday_wait_table`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    colours = policy_colours(policies)
    days = table.drop_duplicates("weekday_index").sort_values("weekday_index")
    fig = _figure(4.8)
    ax = fig.add_subplot()
    _style(ax, grid_axis="y")
    width = 0.8 / len(policies)
    x0 = np.arange(len(days))
    ci_handle = None
    for j, policy in enumerate(policies):
        rows = table[table.policy == policy].set_index("weekday_index").reindex(days["weekday_index"])
        x = x0 + (j - (len(policies) - 1) / 2) * width
        y = rows["mean_wait"].to_numpy(dtype=float)
        ax.bar(x, np.nan_to_num(y), width * 0.9, color=colours[policy], gid=f"{policy}")
        lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
        ci = np.isfinite(y) & np.isfinite(lo) & np.isfinite(hi)
        if ci.any():
            ci_handle = ax.errorbar(x[ci], y[ci], yerr=[np.maximum(y[ci] - lo[ci], 0), np.maximum(hi[ci] - y[ci], 0)],
                                    fmt="none", ecolor=INK, elinewidth=1.2, capsize=3, gid=f"ci/{policy}")
    ax.set_xticks(x0, [weekday_name(w, lang, long=True) for w in days["weekday"]])
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(6))
    ax.set_ylabel(t("weekday_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    _policy_legend(fig, table, lang, [Patch(color=colours[p]) for p in policies], ci_handle=ci_handle)
    return fig


def chart_classes(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Share of counter visits called within standard per priority class and policy, with 95 % CIs.

    ``table``: :func:`simulation.chart_data.class_table`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    fig = _figure(_bars_height(table.station.nunique(), len(policies)))
    ax = fig.add_subplot()
    _style(ax, grid_axis="x")
    labels = [t("class_general", lang) if station == "umum" else
              t(f"class_name_{station}", lang) if f"class_name_{station}" in STRINGS[lang] else
              t("class_label", lang, name=lab) for station, lab in _stations(table)]
    handles, ci_handle = _hbar_groups(ax, table, "share_pct", "ci_low_pct", "ci_high_pct", labels, lang)
    line = ax.axvline(table.attrs["required_pct"], gid="required", **STANDARD_STYLE)
    ax.set_xlabel(t("class_xlabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    required = fmt_pct(table.attrs["required_pct"] / 100, lang)
    _policy_legend(fig, table, lang, handles, [(line, t("required_line", lang, required=required))], ci_handle)
    _values_off_line(fig, ax, table.attrs["required_pct"])
    return fig


# ---------------------------------------------------------------------------------------
# 6c. Officers at the counter by hour

EMPTY_COLOUR = "#C62828"  # red: nobody at the counter while the counters call
FEWER_COLOUR = "#FBD38D"  # light orange: fewer than under the baseline
SAME_COLOUR = "#E3ECF5"  # light blue-grey: as under the baseline
OBH_ROW = 0.3  # inches per row of cells


def chart_officers_by_hour(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Officers at the counter in each open hour: one grid per policy, a row per desk and group of
    weekdays, a column per clock hour, the number in each cell; red where nobody is at the counter
    while the counters call, light orange where fewer are than under the baseline, hatched grey in
    a break. Below the baseline, a policy shows only the desks and weekdays it changes.

    ``table``: :func:`simulation.chart_data.officers_by_hour_rows`.
    """
    check_lang(lang)
    policies = table.attrs["policies"]
    hours = list(table.attrs.get("hours") or [])
    counts = [max(1, int((table.policy == p).sum())) for p in policies]
    fig = _figure(2.2 + sum(0.85 + OBH_ROW * n for n in counts))
    body = fig.subfigures(1, 1)
    axes = body.subplots(len(policies), 1, squeeze=False, gridspec_kw={"height_ratios": [
        0.45 + OBH_ROW * n for n in counts]}).ravel()
    fill = {"empty": EMPTY_COLOUR, "fewer": FEWER_COLOUR, "same": SAME_COLOUR}
    short = len(hours) > 12  # a long day: "08" instead of "08:00" under each column
    for ax, policy in zip(axes, policies):
        rows = table[table.policy == policy]
        ax.set_title(_wrap(_policy_label(policy, table, lang), 60), fontsize=PANEL_TITLE_SIZE, loc="left")
        labels = []
        for i, r in enumerate(rows.itertuples(index=False)):
            for k, (n, state) in enumerate(zip(r.onsite, r.state)):
                if state == "closed":
                    continue
                gid = f"cell/{policy}/{r.station}/{i}/{k}"
                if state == "break":  # the hatch takes the edge colour: no white border here
                    ax.add_patch(Rectangle((k + 0.03, i + 0.03), 0.94, 0.94, facecolor="white", edgecolor="#aaaaaa",
                                           linewidth=0, hatch="//", gid=gid))
                else:
                    ax.add_patch(Rectangle((k, i), 1, 1, facecolor=fill[state], edgecolor="white", linewidth=1.5,
                                           gid=gid))
                if state != "break":
                    ax.text(k + 0.5, i + 0.5, str(n), ha="center", va="center", fontsize=NOTE_SIZE,
                            color="white" if state == "empty" else INK,
                            fontweight="bold" if state == "empty" else "normal")
            days = days_text(r.days, lang)
            labels.append(_wrap(f"{r.label}: {days}", 44))
        if not len(rows):
            ax.text(len(hours) / 2, 0.5, t("obh_same_everywhere", lang), ha="center", va="center",
                    fontsize=NOTE_SIZE, color=INK)
        ax.set_xlim(0, max(len(hours), 1))
        ax.set_ylim(max(len(rows), 1), 0)
        ax.set_yticks(np.arange(len(rows)) + 0.5, labels)
        ax.set_xticks(np.arange(len(hours)) + 0.5,
                      [fmt_clock(h, lang)[:2] if short else fmt_clock(h, lang) for h in hours])
        ax.tick_params(length=0, labelsize=TICK_SIZE)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
    body.supxlabel(t("obh_xlabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Patch(color=EMPTY_COLOUR), Patch(color=FEWER_COLOUR), Patch(color=SAME_COLOUR)]
    labels = [t("obh_legend_empty", lang), t("obh_legend_fewer", lang), t("obh_legend_same", lang)]
    breaks = table.attrs.get("breaks") or []
    if breaks:
        handles.append(Patch(facecolor="white", edgecolor="#aaaaaa", hatch="//", linewidth=0))
        labels.append(t("chart_break", lang, when="; ".join(
            f"{days_text(br['days'], lang)} {fmt_clock(60 * br['start'], lang)}–{fmt_clock(60 * br['end'], lang)}"
            for br in breaks)))
    if len(policies) > 1:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(t("obh_only_changed", lang))
    recall = [p for p in table.attrs.get("recall") or [] if p in policies]
    if recall:
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(t("obh_recall_note", lang, policies=_join([_policy_label(p, table, lang) for p in recall],
                                                                     lang)))
    _legend(fig, handles, labels)
    return fig


# ---------------------------------------------------------------------------------------
# 7. Sweep and staffing


def chart_sweep(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Waits (left) and share within standard (right) against the share of officers at home.

    One row of two panels per swept group (each station alone, by default), one colour per
    station; the swept station's lines are thicker. Left: the mean wait of every visit with
    its 95 % CI band (solid) and the 90th-percentile wait of those served (dotted); right: the
    share within standard with its 95 % CI band and the required standard. The x axis names
    the on-site officers ("1 of 3 at home") when one station is swept. A downstream desk whose
    waits fall only because fewer citizens reach it says so under its row.
    ``table``: :func:`simulation.chart_data.sweep_curve_table`.
    """
    check_lang(lang)
    groups = table.attrs.get("groups") or _order_of(table["swept"])
    notes = table.attrs.get("notes") or []
    fig = _figure(2.3 + 3.4 * len(groups))
    body = fig.subfigures(1, 1)
    rows = body.subfigures(len(groups), 1, squeeze=False).ravel()
    stations = _stations(table)
    colour = {st: POLICY_COLOURS[i % len(POLICY_COLOURS)] for i, (st, _) in enumerate(stations)}
    marker = {st: STATION_MARKERS[i % len(STATION_MARKERS)] for i, (st, _) in enumerate(stations)}
    labels_of = dict(stations)
    required = table.attrs["required_pct"]
    for row_fig, group in zip(rows, groups):
        prefix = "" if len(groups) == 1 else f"{group}/"
        ax_wait, ax_share = row_fig.subplots(1, 2)
        for ax in (ax_wait, ax_share):
            _style(ax)
        part = table[table.swept == group]
        for station, _ in stations:
            rows_st = part[part.station == station].sort_values("x_pct")
            if not len(rows_st):
                continue
            x = rows_st["x_pct"].to_numpy(dtype=float)
            width = 3.0 if bool(rows_st["is_swept"].iloc[0]) else 1.6
            style = {"color": colour[station], "marker": marker[station], "markersize": 5, "linewidth": width}
            ax_wait.fill_between(x, rows_st["mean_wait_all_ci_low"], rows_st["mean_wait_all_ci_high"],
                                 color=colour[station], alpha=0.15, linewidth=0, gid=f"{prefix}band/mean/{station}")
            ax_wait.plot(x, rows_st["mean_wait_all"], gid=f"{prefix}mean/{station}", **style)
            ax_wait.plot(x, rows_st["p90_wait"], linestyle=":", gid=f"{prefix}p90/{station}", **style)
            ax_share.fill_between(x, rows_st["ci_low_pct"], rows_st["ci_high_pct"], color=colour[station],
                                  alpha=0.15, linewidth=0, gid=f"{prefix}band/share/{station}")
            ax_share.plot(x, rows_st["share_pct"], gid=f"{prefix}share/{station}", **style)
        for x in sorted(set(part.loc[part["nobody_served"], "x_pct"])):
            ax_wait.annotate(t("sweep_nobody_served", lang), (x, 0.5), xycoords=("data", "axes fraction"),
                             rotation=90, ha="center", va="center", fontsize=NOTE_SIZE, color=INK,
                             bbox={"facecolor": "white", "edgecolor": "#999999", "pad": 2})
        ax_share.axhline(required, gid=f"{prefix}required", **STANDARD_STYLE)
        ax_wait.set_ylim(bottom=0)
        ax_share.set_ylim(-2, 103)
        ax_share.set_yticks([0, 25, 50, 75, 100])
        ax_wait.set_ylabel(t("sweep_ylabel_wait", lang), fontsize=LABEL_SIZE)
        ax_share.set_ylabel(t("sweep_ylabel_share", lang), fontsize=LABEL_SIZE)
        swept = group.split("+")
        ticks_rows = part[part.station == swept[0]].sort_values("x_pct")
        tick_x = ticks_rows["x_pct"].to_numpy(dtype=float)
        if len(swept) == 1:
            ticks = [f"{fmt_pct(x / 100, lang)}\n" + t("sweep_at_home", lang, at_home=int(a), staff=int(n))
                     for x, a, n in zip(ticks_rows["x_pct"], ticks_rows["at_home"], ticks_rows["staff"])]
        else:
            ticks = [fmt_pct(x / 100, lang) for x in tick_x]
        for ax in (ax_wait, ax_share):
            ax.set_xticks(tick_x, ticks)
            ax.set_xlim(tick_x.min() - 4, tick_x.max() + 4)
        text = t("sweep_xlabel", lang, stations=_join([labels_of.get(s, s) for s in swept], lang))
        for note in notes:
            if note["group"] == group:
                text += "\n" + finding_text(note["finding"], lang)
        row_fig.supxlabel(_wrap(text, 95), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Line2D([], [], color=colour[st], marker=marker[st], markersize=5, linewidth=2) for st, _ in stations]
    labels = [_wrap(lab, 30) for _, lab in stations]
    handles += [Line2D([], [], color=INK, linewidth=2), Line2D([], [], color=INK, linewidth=2, linestyle=":"),
                Line2D([], [], **STANDARD_STYLE)]
    labels += [t("sweep_mean", lang), t("sweep_p90", lang),
               t("required_line", lang, required=fmt_pct(required / 100, lang))]
    _legend(fig, handles, labels)
    return fig


def chart_city(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Left, per office: officer-days a week that could be at home with every desk within standard,
    of all officer-days. Right, per standard policy: the extra citizen-hours lost a week, city-wide,
    stacked by office so the city total (labelled, with its 95 % interval) is the bar's length.

    ``table``: :func:`simulation.chart_data.city_chart_table`.
    """
    check_lang(lang)
    offices = list(table.attrs.get("offices") or dict.fromkeys(table["office"]))
    labels = table.attrs.get("offices") or {o: o for o in offices}
    headline = table.attrs.get("headline", pd.DataFrame())
    policies = list(headline["policy"]) if len(headline) else []
    fig = _figure(2.6 + 0.5 * max(len(offices), len(policies)) + 1.2)
    body = fig.subfigures(1, 1)
    ax_days, ax_harm = body.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})
    for ax in (ax_days, ax_harm):
        _style(ax, grid_axis="x")
    first = table.drop_duplicates("office").set_index("office").reindex(offices)
    y = np.arange(len(offices))
    ax_days.barh(y, first["officer_days"], 0.6, color="#dddddd", gid="officer_days")
    ax_days.barh(y, first["may_wfh_days"], 0.6, color=POLICY_COLOURS[1], gid="may_wfh_days")
    for k, row in enumerate(first.itertuples()):
        ax_days.text(row.officer_days, y[k], f" {_count(row.may_wfh_days, lang)} / {_count(row.officer_days, lang)}",
                     va="center", ha="left", fontsize=NOTE_SIZE, color=INK)
    ax_days.set_yticks(y, [_wrap(labels.get(o, o), 22) for o in offices])
    ax_days.set_ylim(len(offices) - 0.5, -0.5)
    ax_days.set_xlim(0, float(np.nanmax(first["officer_days"].to_numpy(dtype=float), initial=1)) * 1.45 + 1)
    ax_days.set_xlabel(_wrap(t("city_xlabel_days", lang), 30), fontsize=LABEL_SIZE)
    # Right: one bar per standard policy, one segment per office.
    office_colours = {o: OFFICE_COLOURS[i % len(OFFICE_COLOURS)] for i, o in enumerate(offices)}
    yp = np.arange(len(policies))
    for j, policy in enumerate(policies):
        rows = table[table.policy == policy].set_index("office")
        left_pos, left_neg = 0.0, 0.0
        for office in offices:
            if office not in rows.index:
                continue
            x = float(rows.loc[office, "extra_hours_per_week"])
            start = left_pos if x >= 0 else left_neg
            ax_harm.barh(yp[j], x, 0.6, left=start, color=office_colours[office], gid=f"harm/{policy}/{office}")
            if x >= 0:
                left_pos += x
            else:
                left_neg += x
        h = headline.iloc[j]
        lo, hi = h.extra_citizen_hours_per_week_ci_low, h.extra_citizen_hours_per_week_ci_high
        if np.isfinite(lo) and np.isfinite(hi):
            ax_harm.errorbar(h.extra_citizen_hours_per_week, yp[j], xerr=[[h.extra_citizen_hours_per_week - lo],
                             [hi - h.extra_citizen_hours_per_week]], color=INK, capsize=3, linewidth=1,
                             gid=f"total_ci/{policy}")
        ax_harm.text(max(left_pos, 0), yp[j] - 0.38, " " + t("city_total", lang, hours=_count(
            h.extra_citizen_hours_per_week, lang)), va="bottom", ha="left", fontsize=NOTE_SIZE, color=INK,
            gid=f"total/{policy}")
    ax_harm.set_yticks(yp, [_wrap(standard_policy_label(p, lang), 24) for p in policies])
    ax_harm.set_ylim(len(policies) - 0.5, -0.7)
    most = float(np.nanmax(np.r_[headline.get("extra_citizen_hours_per_week_ci_high", pd.Series(dtype=float))
                                 .to_numpy(dtype=float), headline.get("extra_citizen_hours_per_week",
                                 pd.Series(dtype=float)).to_numpy(dtype=float), 1.0]))
    ax_harm.set_xlim(min(0.0, float(table["extra_hours_per_week"].min(skipna=True) or 0.0) * 1.1), most * 1.5)
    ax_harm.axvline(0, color=INK, linewidth=0.8)
    ax_harm.set_xlabel(_wrap(t("city_xlabel_harm", lang), 34), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    handles = [Patch(color=POLICY_COLOURS[1]), Patch(color="#dddddd")]
    legend_labels = [t("city_may", lang), t("city_all_days", lang)]
    handles += [Patch(color=office_colours[o]) for o in offices]
    legend_labels += [labels.get(o, o) for o in offices]
    handles.append(Line2D([], [], color=INK, linewidth=1, marker="|", markersize=8))
    legend_labels.append(t("city_total_ci", lang))
    _legend(fig, handles, legend_labels)
    return fig


def _order_of(values) -> list:
    return list(dict.fromkeys(values))


def chart_staffing(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Fewest officers at the counter that meet the standard, per station and weekday, against current staff.

    ``table``: :func:`simulation.chart_data.staffing_table`.
    """
    check_lang(lang)
    stations = _stations(table)
    fig, body, axes = _panels(len(stations), row_height=2.5)
    ncols = min(len(stations), 3)
    recommended_colour = POLICY_COLOURS[1]
    unreachable_colour = "#999999"
    top = np.nanmax(np.r_[table["staff"].to_numpy(dtype=float), table["recommended_onsite"].to_numpy(dtype=float)])
    status = table["status"] if "status" in table else pd.Series("meets", index=table.index)
    for ax, (station, label) in zip(axes, stations):
        rows = table[table.station == station].sort_values("weekday_index")
        x = np.arange(len(rows))
        rec = rows["recommended_onsite"].to_numpy(dtype=float)
        meets = (status[rows.index] == "meets").to_numpy() & np.isfinite(rec)
        plateau = (status[rows.index] == "unreachable").to_numpy() & np.isfinite(rec)
        ax.bar(x[meets], rec[meets], 0.65, color=recommended_colour, gid=f"recommended/{station}")
        # A level that misses the standard is never drawn like one that meets it.
        ax.bar(x[plateau], rec[plateau], 0.65, color="white", edgecolor=unreachable_colour, hatch="//",
               linewidth=1.2, gid=f"unreachable/{station}")
        for k in range(len(rows)):
            if meets[k]:
                ax.text(x[k], rec[k] / 2, _count(rec[k], lang), ha="center", va="center", color="white",
                        fontsize=NOTE_SIZE, fontweight="bold")
            elif plateau[k]:
                ax.text(x[k], rec[k] / 2, _count(rec[k], lang), ha="center", va="center", color=INK,
                        fontsize=NOTE_SIZE, fontweight="bold",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            else:  # no advice: undecided, or no counted visit that weekday
                key = "staff_no_data_short" if status[rows.index[k]] == "no_data" else "staff_undecided_short"
                ax.text(x[k], 0.1, t(key, lang), ha="center", va="bottom", fontsize=NOTE_SIZE, color=INK)
        staff = rows["staff"].to_numpy(dtype=float)
        ax.plot(np.r_[x - 0.45, x[-1:] + 0.45] if len(x) else [], np.r_[staff, staff[-1:]] if len(x) else [],
                drawstyle="steps-post", color=BASELINE_COLOUR, linewidth=2.5, gid=f"staff/{station}")
        ax.set_xticks(x, [weekday_name(w, lang) for w in rows["weekday"]])
        ax.set_ylim(0, top + 0.8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(False, axis="x")
        _panel_title(ax, label, ncols)
    body.supylabel(t("staff_ylabel", lang), fontsize=LABEL_SIZE)
    _title(fig, table, lang)
    required = table.attrs["required_pct"]
    handles = [Patch(color=recommended_colour), Line2D([], [], color=BASELINE_COLOUR, linewidth=2.5)]
    labels = [t("staff_recommended", lang, required=fmt_pct(required / 100, lang)), t("staff_current", lang)]
    if (status == "unreachable").any():
        handles.append(Patch(facecolor="white", edgecolor=unreachable_colour, hatch="//"))
        labels.append(t("staff_unreachable", lang, required=fmt_pct(required / 100, lang)))
    no_advice = ~status.isin(["meets", "unreachable"]) | table["recommended_onsite"].isna()
    for kind in ("undecided", "no_data"):
        if (no_advice & (status == "no_data" if kind == "no_data" else status != "no_data")).any():
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(t(f"staff_{kind}", lang))
    _legend(fig, handles, labels)
    return fig


# ---------------------------------------------------------------------------------------
# A whole folder


@dataclass(frozen=True)
class ChartSpec:
    """One chart: which folders have it, the table it draws (from a loaded folder) and how.

    Adding a chart is one table function in :mod:`simulation.chart_data`, one drawing
    function here, and one entry in :data:`CHARTS`.
    """

    kind: str
    """The results folder it belongs to: ``run``, ``sweep`` or ``staffing``."""
    table: Callable[[dict], pd.DataFrame]
    draw: Callable[[pd.DataFrame, str], Figure]
    needs: tuple[str, ...] = ()
    """Tables of the folder it needs (``visits``, ...): without them it is not drawn."""
    when: Callable[[dict], bool] | None = None
    """Drawn only when this says so (e.g. the class chart, only with priority classes)."""


def _has_classes(data: dict) -> bool:
    visits = data.get("visits")
    return visits is not None and "class" in visits and visits["class"].nunique() > 1


def _several_weekdays(data: dict) -> bool:
    scenario = data.get("scenario") or {}
    days = (scenario.get("run") or {}).get("days", 1)
    return int(days) > 1


def _noted(table: pd.DataFrame, data: dict) -> pd.DataFrame:
    """``table`` with the desks that look better only because citizens are held up before them
    (``attrs["downstream"]``, :func:`simulation.chart_data.downstream_notes`), to say so under the chart."""
    table.attrs["downstream"] = cd.downstream_notes(data.get("comparison"), data.get("scenario"))
    return table


CHARTS: dict[str, ChartSpec] = {
    "standard_met": ChartSpec("run", lambda d: _noted(cd.standard_met_table(d["summary"], citizens=d.get("citizens")),
                                                      d),
                              lambda tb, lang: chart_standard_met(tb, lang)),
    "officers_by_hour": ChartSpec("run", lambda d: cd.officers_by_hour_rows(cd.officers_by_hour_table(
        d.get("scenario"), list(dict.fromkeys(d["summary"]["policy"])))),
        lambda tb, lang: chart_officers_by_hour(tb, lang), when=lambda d: bool(d.get("scenario"))),
    "wait_distribution": ChartSpec("run", lambda d: _noted(cd.wait_ecdf_table(d["visits"], d["summary"],
                                                                              d.get("scenario")), d),
                                   lambda tb, lang: chart_wait_distribution(tb, lang), needs=("visits",)),
    "wait_by_hour": ChartSpec("run", lambda d: _noted(cd.hourly_wait_table(d["visits"], d["summary"],
                                                                          d.get("scenario")), d),
                              lambda tb, lang: chart_wait_by_hour(tb, lang), needs=("visits",)),
    "wait_by_weekday": ChartSpec("run",
                                 lambda d: cd.weekday_wait_table(d["visits"], d["summary"], d.get("scenario")),
                                 lambda tb, lang: chart_wait_by_weekday(tb, lang), needs=("visits",),
                                 when=_several_weekdays),
    "queue_over_day": ChartSpec("run",
                                lambda d: cd.queue_over_day_table(d["visits"], d["summary"], d.get("scenario")),
                                lambda tb, lang: chart_queue_over_day(tb, lang), needs=("visits",)),
    "classes": ChartSpec("run", lambda d: cd.class_table(d["visits"], d["summary"], d.get("scenario")),
                         lambda tb, lang: chart_classes(tb, lang), needs=("visits",), when=_has_classes),
    "utilisation": ChartSpec("run", lambda d: cd.utilisation_table(d["summary"], d.get("replications")),
                             lambda tb, lang: chart_utilisation(tb, lang)),
    "not_served": ChartSpec("run", lambda d: cd.not_served_table(d["visits"], d["summary"], d.get("scenario")),
                            lambda tb, lang: chart_not_served(tb, lang), needs=("visits",)),
    "sweep": ChartSpec("sweep", lambda d: cd.sweep_curve_table(
        d["sweep"], swept=((d.get("run_info") or {}).get("sweep") or {}).get("stations"),
        scenario=d.get("scenario")),
        lambda tb, lang: chart_sweep(tb, lang)),
    "staffing": ChartSpec("staffing", lambda d: cd.staffing_table(d["staffing"]),
                          lambda tb, lang: chart_staffing(tb, lang)),
    "city": ChartSpec("city", lambda d: cd.city_chart_table(d["city"], d["city_staffing"],
                                                            (d.get("run_info") or {}).get("offices")),
                      lambda tb, lang: chart_city(tb, lang)),
}
"""Every chart, in report order, by file stem."""


def chart_names(data: dict) -> list[str]:
    """The charts a loaded folder's tables allow, in report order."""
    return [name for name, spec in CHARTS.items()
            if spec.kind == data["kind"] and all(data.get(k) is not None for k in spec.needs)
            and (spec.when is None or spec.when(data))]


def charts_needing_absent_tables(data: dict) -> list[str]:
    """Charts of this kind of folder that need a table it lacks (whether or not they would be drawn)."""
    return [name for name, spec in CHARTS.items()
            if spec.kind == data["kind"] and any(data.get(k) is None for k in spec.needs)]


def charts_without_tables(data: dict) -> list[str]:
    """Charts of this kind of folder that its tables cannot give: one they need is absent
    (the per-visit table of a ``loket run --no-visits`` folder). The class chart, which only
    the visits can tell is wanted, is not listed."""
    return [name for name, spec in CHARTS.items()
            if spec.kind == data["kind"] and any(data.get(k) is None for k in spec.needs)
            and spec.when is not _has_classes and (spec.when is None or spec.when(data))]


def draw_chart(name: str, data: dict, lang: str = "en") -> Figure:
    """One chart of a folder loaded with :func:`simulation.chart_data.load_results`."""
    check_lang(lang)
    data = cd.in_language(data, lang)  # station and policy names in the chart's language
    table = CHARTS[name].table(data)
    table.attrs["policy_labels"] = cd.policy_labels(data.get("scenario"), lang)
    # Labels are a planner's plain text: "$" is a dollar sign, never matplotlib mathtext.
    with rc_context({"text.parse_math": False}):
        return CHARTS[name].draw(table, lang)


def draw_charts(data: dict, lang: str = "en") -> dict[str, Figure]:
    """Every chart of a folder loaded with :func:`simulation.chart_data.load_results`, by file stem."""
    return {name: draw_chart(name, data, lang) for name in chart_names(data)}


def save_figure(fig: Figure, path: str | Path, lang: str = "en") -> Path:
    """Save as PNG at :data:`DPI`, with the title and language in the file's metadata and no timestamp."""
    path = Path(path)
    fig.savefig(path, dpi=DPI, format="png",
                metadata={"Software": None, "Title": fig.get_label() or None, "Language": lang})
    return path


def primary_lang(folder: Path) -> str | None:
    """The language of a results folder's own charts and ``report.html`` (``run.json``'s ``lang``)."""
    import json

    try:
        lang = json.loads((Path(folder) / "run.json").read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return lang if isinstance(lang, str) else None


def charts_folder(folder: Path, lang: str) -> Path:
    """Where a results folder keeps its charts in ``lang``: the folder itself for its own
    language, ``charts/<lang>/`` for every other one (so both languages live side by side)."""
    folder = Path(folder)
    own = primary_lang(folder)
    return folder if own is None or own == lang else folder / "charts" / lang


def write_charts(folder: Path, lang: str = "en", data: dict | None = None, jobs: int = 1) -> list[Path]:
    """Draw every chart the results ``folder`` allows (a run, sweep or staffing folder) as
    ``<name>.png``, in :func:`charts_folder` for ``lang``.

    Returns the paths written, in report order. Only the folder's tables are read (or
    ``data``, the folder as :func:`simulation.chart_data.load_results` gives it): nothing is
    simulated, and charts in other languages are left as they are. ``jobs`` > 1 draws the
    charts in that many worker processes (the same files, sooner).
    """
    check_lang(lang)
    folder = Path(folder)
    data = cd.load_results(folder) if data is None else data
    where = charts_folder(folder, lang)
    where.mkdir(parents=True, exist_ok=True)
    names = chart_names(data)
    paths: list[Path] = []
    # Forked workers see the data as it is: nothing is sent to them but names. Each call has its
    # own entry, so folders drawn at the same time (the web page's sessions) never mix.
    token = object()
    _drawing[id(token)] = data
    try:
        for_each_result(_draw_and_save, [(name, where, lang, id(token)) for name in names], paths.append,
                        jobs=min(jobs, len(names)), inherit=True)
    finally:
        _drawing.pop(id(token), None)
    return paths


_drawing: dict = {}
"""The folders being drawn by :func:`write_charts`, by call (read by its worker processes)."""


def _draw_and_save(task: tuple[str, Path, str, int]) -> Path:
    name, where, lang, call = task
    fig = draw_chart(name, _drawing[call], lang)
    return save_figure(fig, where / f"{name}.png", lang)
