"""A scenario's figures in words, for a reader who never opens the TOML file.

The report lists the figures a scenario marks as estimates (:mod:`simulation.notes`); a
planner reading it should see which desk and which quantity each one is, not a key path:

    stations.pelayanan.staff = 2          ->  Meja pelayanan kelurahan: 2 officers at the counter
    arrivals.warga.return_probability     ->  Citizens coming to Meja pelayanan kelurahan: 80 % of
                                              those sent home unserved come back the next working day
    calendar.demand                       ->  Demand by weekday (1 = an ordinary day): Mon ×1.25, ...

:func:`figure_in_words` names the desk (or stream, or policy) by its label in the reader's
language and the quantity with its unit, in English or Bahasa Indonesia
(:mod:`simulation.strings`, keys ``fig_*``). A key it has no words for is shown as the rest of
its path and its value, under the name of what it belongs to.
"""

from __future__ import annotations

import math
from typing import Any

from .strings import check_lang, fmt_clock, fmt_number, fmt_pct, localized, t, weekday_name

__all__ = ["figure_in_words", "distribution_in_words"]


def _num(x: Any, lang: str) -> str:
    """A figure as the planner wrote it: ``2``, ``0.95``, ``4.32`` (``4,32`` in Indonesian)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return str(x)
    text = f"{float(x):.6g}"
    digits = 0 if float(x).is_integer() else min(len(text.split(".")[1]) if "." in text else 0, 4)
    return fmt_number(float(x), digits, lang)


def _clock(text: Any, lang: str) -> str:
    try:
        hours, minutes = str(text).split(":")
        return fmt_clock(int(hours) * 60 + int(minutes), lang)
    except ValueError:
        return str(text)


def _list(items, lang: str) -> str:
    """Numbers one after another: "4.32, 5.04" — in Indonesian "4,32; 5,04" (the comma is the decimal sign)."""
    return t("fig_sep", lang).join(items)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("list_and", lang) + items[-1]


def distribution_in_words(dist: Any, lang: str = "en") -> str:
    """A time distribution (service, patience, travel) in words: "mean 6 min (lognormal, ...)"."""
    if not isinstance(dist, dict) or f"fig_dist_{dist.get('dist')}" not in _keys(lang):
        return _value(dist, lang)
    kind = dist["dist"]
    if kind == "empirical":
        values = [v for v in dist.get("values") or [] if isinstance(v, (int, float))]
        mean = sum(values) / len(values) if values else math.nan
        return t("fig_dist_empirical", lang, n=len(values), mean=fmt_number(mean, 1, lang))
    return t(f"fig_dist_{kind}", lang, **{k: _num(dist.get(k), lang) for k in ("mean", "cv", "min", "max", "mode")})


def _keys(lang: str) -> dict:
    from .strings import STRINGS

    return STRINGS[lang]


def _value(value: Any, lang: str) -> str:
    """Any other value, shortly: numbers in the reader's style, lists and tables as written."""
    if isinstance(value, bool):
        return t("yes" if value else "fig_no", lang)
    if isinstance(value, (int, float)):
        return _num(value, lang)
    if isinstance(value, (list, tuple)):
        return _list((_value(v, lang) for v in value), lang)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')} {_value(v, lang)}" for k, v in value.items())
    return str(value)


def _entry(items: Any, name: str, list_key: str) -> dict | None:
    from .scenario import entry_names

    names = entry_names(items, list_key)
    return items[names.index(name)] if name in names else None


def _station_field(field: str, value: Any, rest: list[str], data: dict, lang: str) -> str | None:
    """A station's figure in words (None: no words for it)."""
    if field == "staff":
        return t("fig_staff", lang, n=_num(value, lang))
    if field == "roster" and isinstance(value, list):
        return t("fig_roster", lang, values=_list((_num(v, lang) for v in value), lang))
    if field == "service":
        return t("fig_service", lang, dist=distribution_in_words(value, lang))
    if field == "patience":
        return t("fig_patience", lang, dist=distribution_in_words(value, lang))
    if field == "target_wait_minutes":
        return t("fig_target", lang, n=_num(value, lang))
    if field == "next" and isinstance(value, dict):
        labels = {st.get("name"): localized(st, "label", lang) or st.get("name")
                  for st in data.get("stations", []) if isinstance(st, dict)}
        shown = {k: v for k, v in value.items() if not rest or k == rest[0]}
        parts = [t("fig_next_part", lang, share=fmt_pct(v, lang), label=labels.get(k, k)) for k, v in shown.items()]
        return t("fig_next", lang, parts=_join(parts, lang)) if parts else None
    if field == "balk_at_queue":
        return t("fig_balk_queue", lang, n=_num(value, lang))
    if field == "balk_at_wait_minutes":
        return t("fig_balk_wait", lang, n=_num(value, lang))
    if field == "daily_quota":
        return t("fig_quota", lang, n=_num(value, lang))
    if field == "in_person_only":
        return t("fig_in_person" if value else "fig_not_in_person", lang)
    return None


def _day_total(rates: Any, data: dict) -> float:
    """Arrivals on an ordinary day at the ``[run]`` hours (no weekday multiplier): the per-hour
    rates times the minutes of each (possibly partial) open hour."""
    run = data.get("run") or {}
    try:
        open_, close = (_minutes(run.get("open", "08:00")), _minutes(run.get("close", "16:00")))
    except ValueError:
        return math.nan
    span = close - open_
    hours = max(math.ceil(span / 60), 1)
    values = rates if isinstance(rates, list) else [rates] * hours
    return sum(float(r) * min(max(span - 60 * h, 0), 60) / 60 for h, r in enumerate(values))


def _minutes(text: str) -> int:
    hours, minutes = str(text).split(":")
    return int(hours) * 60 + int(minutes)


def _stream_field(field: str, value: Any, data: dict, lang: str) -> str | None:
    """An arrival stream's figure in words (None: no words for it)."""
    if field == "per_hour":
        day = _day_total(value, data)
        day_text = fmt_number(day, 0, lang)
        if isinstance(value, list):
            return t("fig_per_hour_list", lang, values=_list((_num(v, lang) for v in value), lang), day=day_text)
        return t("fig_per_hour", lang, rate=_num(value, lang), day=day_text)
    if field == "travel":
        return t("fig_travel", lang, dist=distribution_in_words(value, lang))
    if field == "return_probability":
        return t("fig_return", lang, share=fmt_pct(value, lang))
    if field == "max_trips":
        return t("fig_max_trips", lang, n=_num(value, lang))
    if field == "classes" and isinstance(value, list):
        from .strings import STRINGS

        parts = []
        for c in value:
            if not isinstance(c, dict):
                continue
            key = f"class_name_{c.get('name')}"
            name = t(key, lang) if key in STRINGS[lang] else str(c.get("name", "")).replace("_", " ")
            parts.append(t("fig_class_part", lang, name=name, share=fmt_pct(c.get("share", 0.0), lang)))
        return t("fig_classes", lang, parts=_list(parts, lang))
    return None


def _run_field(field: str, value: Any, lang: str) -> str | None:
    if field == "open":
        return t("fig_open", lang, clock=_clock(value, lang))
    if field == "close":
        return t("fig_close", lang, clock=_clock(value, lang))
    if field == "after_close" and value in ("serve", "turn_away"):
        return t(f"fig_after_close_{value}", lang)
    if field == "days":
        return t("fig_days", lang, n=_num(value, lang))
    if field == "replications":
        return t("fig_replications", lang, n=_num(value, lang))
    if field == "seed":
        return t("fig_seed", lang, n=str(value))
    if field == "warmup_minutes":
        return t("fig_warmup", lang, n=_num(value, lang))
    if field == "start_weekday" and isinstance(value, str):
        return t("fig_start_weekday", lang, day=weekday_name(value, lang, long=True))
    return None


def _calendar_field(field: str, value: Any, lang: str) -> str | None:
    if field == "demand" and isinstance(value, dict):
        parts = [t("fig_demand_part", lang, day=weekday_name(d, lang), factor=_num(f, lang)) for d, f in value.items()]
        return t("fig_demand", lang, parts=_list(parts, lang) or t("fig_none", lang))
    if field == "breaks" and isinstance(value, list):
        parts = [t("fig_day_span", lang, days="/".join(weekday_name(d, lang) for d in b.get("days", [])),
                   start=_clock(b.get("start"), lang), end=_clock(b.get("end"), lang))
                 for b in value if isinstance(b, dict)]
        return t("fig_breaks", lang, parts="; ".join(parts) or t("fig_none", lang))
    if field == "hours" and isinstance(value, dict):
        parts = [t("fig_day_span", lang, days=weekday_name(d, lang), start=_clock(span[0], lang),
                   end=_clock(span[1], lang)) for d, span in value.items() if isinstance(span, list) and len(span) == 2]
        return t("fig_hours", lang, parts="; ".join(parts) or t("fig_none", lang))
    if field == "open_days" and isinstance(value, list):
        return t("fig_open_days", lang, days=_join([weekday_name(d, lang, long=True) for d in value], lang))
    if field == "holidays" and isinstance(value, list):
        return t("fig_holidays", lang, days=_list((_num(d, lang) for d in value), lang) or t("fig_none", lang))
    return None


def figure_in_words(data: dict, key: str, lang: str = "en") -> str:
    """The figure at dotted ``key`` of the resolved scenario ``data``, in words in ``lang``.

    ``stations.<name>.<field>`` and ``arrivals.<name>.<field>`` are named by the desk's label
    (:func:`simulation.strings.localized`) and the quantity with its unit; ``run`` and
    ``calendar`` figures as the office hours and week they set; anything else as what it
    belongs to (a policy by its label), the rest of its key and its value. A key inside a
    figure (``stations.ektp.service.mean``) shows the whole figure.
    """
    from .notes import value_at

    check_lang(lang)
    found, value = value_at(data, key)
    parts = key.split(".")
    head = parts[0]
    owner, what = None, None
    if head in ("stations", "arrivals") and len(parts) >= 2:
        entry = _entry(data.get(head), parts[1], head)
        if isinstance(entry, dict):
            if head == "stations":
                owner = localized(entry, "label", lang) or entry.get("name", parts[1])
            else:
                station = _entry(data.get("stations"), str(entry.get("station")), "stations") or {}
                label = localized(station, "label", lang) or str(entry.get("station", parts[1]))
                same = [a for a in data.get("arrivals", []) if isinstance(a, dict)
                        and a.get("station") == entry.get("station")]
                owner = (t("fig_stream", lang, label=label) if len(same) <= 1
                         else t("fig_stream_named", lang, label=label, name=entry.get("name", parts[1])))
            if len(parts) >= 3 and parts[2] in entry:
                field_value = entry[parts[2]]
                what = (_station_field(parts[2], field_value, parts[3:], data, lang) if head == "stations"
                        else _stream_field(parts[2], field_value, data, lang))
    elif head == "run" and len(parts) == 2:
        what = _run_field(parts[1], value, lang)
        if what is not None:
            return what
    elif head == "calendar" and len(parts) == 2:
        what = _calendar_field(parts[1], value, lang)
        if what is not None:
            return what
    elif head == "policies" and len(parts) >= 2:
        policies = data.get("policies") or {}
        for j in range(len(parts), 1, -1):  # a policy's name may hold dots: the longest match
            name = ".".join(parts[1:j])
            if name in policies:
                owner = localized(policies[name] or {}, "label", lang) or name
                rest = ".".join(parts[j:]).replace("_", " ")
                return t("fig_value", lang, what=t("fig_item", lang, owner=owner, what=rest) if rest else owner,
                         value=_value(value, lang) if found else "–")
    if owner is not None and what is not None:
        return t("fig_item", lang, owner=owner, what=what)
    rest = ".".join(parts[2:] if owner is not None else parts).replace("_", " ")
    label = t("fig_item", lang, owner=owner, what=rest) if owner is not None and rest else (owner or rest)
    return t("fig_value", lang, what=label, value=_value(value, lang) if found else "–")
