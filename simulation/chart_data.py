"""The small tables the charts draw, computed from a results folder's CSV files.

Every number a chart shows is computed here, with pandas, from the tables Loket writes
(``visits.csv``, ``summary.csv``, ``replications.csv``, ``sweep.csv``, ``staffing.csv``) and
the resolved scenario; :mod:`simulation.charts` only draws these tables. Each function
returns a tidy :class:`pandas.DataFrame` whose ``attrs`` carry what the chart needs
besides the rows:

* ``attrs["policies"]`` — policy names in scenario order, the baseline first;
* ``attrs["finding"]`` — the chart's headline, ``{"key": <strings.py key>, "args":
  {name: (kind, value)}}``, where ``kind`` says how to format the value
  (``"text"``; ``"pct"``, a share 0..1; ``"min"``, minutes; ``"count"``; ``"weekday"``;
  ``"clock"``, minutes after midnight;
  ``"weekdays"``, a list of them; ``"list"``, of texts; ``"pct_of"``, ``(share, at_home, staff)``).

Definitions follow :mod:`simulation.summary_stats`: visits before ``warmup_minutes`` are
left out, online requests are not counter visits, waits of *served* visits describe
waiting, and every *arrival* counts in "share within standard".
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from ._validation import DAY_NAMES
from .calendar import office_calendar
from .measures import share_called_within, within_target
from .notes import NOTE_TABLES
from .outcomes import SENT_HOME
from .scenario import ScenarioError, parse_scenario
from .strings import localized
from .summary_stats import sum_interval, t_interval, t_quantile

__all__ = [
    "REASONS",
    "REQUIRED_SHARE",
    "WEEKDAYS",
    "clock_text",
    "folder_kind",
    "in_language",
    "hourly_wait_table",
    "load_results",
    "downstream_notes",
    "empty_desks",
    "not_served_table",
    "officers_by_hour_rows",
    "officers_by_hour_table",
    "policy_onsite_table",
    "queue_over_day_table",
    "run_settings",
    "staffing_table",
    "standard_met_table",
    "sweep_curve_table",
    "utilisation_table",
    "wait_ecdf_table",
]

REQUIRED_SHARE = 0.9
"""The service standard a station must meet: this share of citizens called within target."""

REASONS = SENT_HOME
"""Outcomes of a citizen sent home unserved (:data:`simulation.outcomes.SENT_HOME`)."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")

MINUTES_PER_DAY = 1440

CHART_VISIT_COLUMNS = ["policy", "replication", "day", "station", "arrival", "service_start", "wait", "outcome",
                       "class"]
"""The columns of ``visits.csv`` the charts read."""


# ---------------------------------------------------------------------------------------
# Reading a folder


def folder_kind(folder: str | Path) -> str:
    """``"city"``, ``"staffing"``, ``"sweep"`` or ``"run"``, by which CSV files the folder holds."""
    folder = Path(folder)
    if (folder / "city.csv").exists():
        return "city"
    if (folder / "staffing.csv").exists():
        return "staffing"
    if (folder / "sweep.csv").exists():
        return "sweep"
    if (folder / "summary.csv").exists():
        return "run"
    raise FileNotFoundError(f"{folder}: not a loket results folder (no summary.csv, sweep.csv, staffing.csv "
                            "or city.csv)")


def load_results(folder: str | Path, visits: pd.DataFrame | None = None) -> dict:
    """Whatever a results folder holds, read once.

    Keys: ``folder``, ``kind`` (see :func:`folder_kind`), ``scenario`` (the resolved
    scenario as a dict, or None), ``run_info`` (``run.json``, or None), and the tables
    ``visits``, ``summary``, ``replications``, ``comparison``, ``citizens``, ``sweep``, ``staffing``
    (a DataFrame, or None where the file is absent).

    ``visits`` (the columns :data:`CHART_VISIT_COLUMNS`, as :func:`chart_visit_table` gives
    them) stands in for ``visits.csv``: a run draws its charts from the visit columns it
    kept in memory, the same values the file holds, instead of reading them back.
    """
    folder = Path(folder)
    data: dict = {"folder": folder, "kind": folder_kind(folder)}
    toml_path = folder / "scenario.resolved.toml"
    data["scenario"] = tomllib.loads(toml_path.read_text(encoding="utf-8")) if toml_path.exists() else None
    info_path = folder / "run.json"
    data["run_info"] = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else None
    text_cols = {"policy": str, "station": str, "label": str, "label_id": str, "outcome": str, "baseline": str,
                 "weekday": str}
    for name in ("summary", "replications", "comparison", "citizens", "sweep", "staffing", "city", "city_staffing"):
        path = folder / f"{name}.csv"
        data[name] = pd.read_csv(path, dtype=text_cols) if path.exists() else None
    path = folder / "visits.csv"
    if visits is None and path.exists():
        visits = chart_visit_table(pd.read_csv(path, usecols=CHART_VISIT_COLUMNS, dtype=dict.fromkeys(
            ("policy", "station", "outcome", "class"), "category")), data["scenario"], data["summary"])
    elif visits is None and (folder / "visits.parquet").exists() and _has_pyarrow():
        # loket run --format parquet keeps the visits only as Parquet (the same values as the CSV).
        visits = chart_visit_table(pd.read_parquet(folder / "visits.parquet", columns=CHART_VISIT_COLUMNS),
                                   data["scenario"], data["summary"])
    data["visits"] = visits
    return data


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def chart_visit_table(visits: pd.DataFrame, scenario: dict | None, summary: pd.DataFrame | None) -> pd.DataFrame:
    """The visit columns the charts read, in one form whether read from ``visits.csv`` or kept by a run.

    Text columns are categories in scenario order (policies, stations, outcomes, classes),
    replication and day 32-bit integers: about 36 bytes a visit.
    """
    from .outcomes import OUTCOMES

    scenario = scenario or {}
    policies = list((scenario.get("policies") or {}).keys()) or (
        _order(summary["policy"]) if summary is not None else [])
    stations = [st["name"] for st in scenario.get("stations", [])]
    classes = [c["name"] for c in scenario.get("classes", [])]
    out = visits[CHART_VISIT_COLUMNS].copy()
    for col, order in (("policy", policies), ("station", stations), ("outcome", list(OUTCOMES)), ("class", classes)):
        values = out[col] if isinstance(out[col].dtype, pd.CategoricalDtype) else out[col].astype("category")
        values = values.cat.remove_unused_categories()
        values = values.cat.rename_categories([str(c) for c in values.cat.categories])
        present = list(values.cat.categories)
        out[col] = values.cat.reorder_categories([c for c in order if c in present]
                                                 + sorted(set(present) - set(order)))
    for col in ("replication", "day"):
        out[col] = out[col].to_numpy(dtype=np.int32)
    return out


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock_text(minute_of_day: float) -> str:
    """Minutes after midnight -> ``"HH:MM"`` (``1440`` -> ``"24:00"``; the next day's ``1500`` -> ``"01:00"``)."""
    m = round(float(minute_of_day))
    if m > MINUTES_PER_DAY:
        m %= MINUTES_PER_DAY
    return f"{m // 60:02d}:{m % 60:02d}"


def _scenario_object(scenario: dict | None):
    """The resolved scenario (a dict) as a :class:`~simulation.scenario.Scenario`, or None if it does not read.

    Its notes (``[notes]``, ``[notes_id]``) are left out: they never change the calendar or the staffing, and a note
    the loader would refuse (one too long) must not cost the charts the office's calendar.
    """
    if not scenario:
        return None
    try:
        return parse_scenario({k: v for k, v in scenario.items() if k not in NOTE_TABLES.values()})
    except ScenarioError:
        return None


def _working_days(scenario: dict | None, days: int, start: str):
    """Opening and closing minute (simulation clock) and weekday (0 = Monday) of each working day.

    Rebuilt from the resolved scenario with the simulator's own calendar (weekends,
    holidays and per-weekday hours included); without a scenario, consecutive days.
    """
    sc = _scenario_object(scenario)
    if sc is not None:
        cal = office_calendar(sc)
        return cal.opens, cal.closes, np.asarray(cal.weekdays)
    opens = np.arange(days, dtype=float) * MINUTES_PER_DAY
    first = DAY_NAMES.index(start) if start in DAY_NAMES else 0
    run = (scenario or {}).get("run", {})
    span = _clock_minutes(run.get("close", "16:00")) - _clock_minutes(run.get("open", "08:00"))
    return opens, opens + span, (first + np.arange(days)) % 5


def day_marks(scenario: dict | None) -> tuple[list[dict], list[dict]]:
    """Breaks and closing times to mark on a time-of-day chart, from the resolved scenario.

    Returns ``(breaks, closes)``: ``breaks`` lists ``{"start", "end"}`` (clock hours as
    numbers, e.g. 11.5) with the ``days`` (weekday names) each applies to; ``closes`` lists
    each distinct closing time ``{"hour", "days"}`` — Friday's 15:30 apart from 16:00.
    Only days the office opens count.
    """
    if not scenario:
        return [], []
    run = scenario.get("run", {})
    calendar = scenario.get("calendar") or {}
    open_days = calendar.get("open_days") or list(WEEKDAYS)
    hours = calendar.get("hours") or {}
    closes: dict[float, list[str]] = {}
    for day in open_days:
        close = _clock_minutes((hours.get(day) or [run.get("open", "08:00"), run.get("close", "16:00")])[1])
        closes.setdefault(close / 60, []).append(day)
    breaks: dict[tuple[float, float], list[str]] = {}
    for br in calendar.get("breaks") or []:
        days = [d for d in (br.get("days") or DAY_NAMES) if d in open_days]
        if days:
            key = (_clock_minutes(br["start"]) / 60, _clock_minutes(br["end"]) / 60)
            breaks.setdefault(key, [])
            breaks[key] += [d for d in days if d not in breaks[key]]
    return ([{"start": a, "end": b, "days": days} for (a, b), days in breaks.items()],
            [{"hour": h, "days": days} for h, days in sorted(closes.items())])


def policy_labels(scenario: dict | None, lang: str = "en") -> dict[str, str]:
    """Display label of each policy in ``lang`` (its ``label``, or ``label_id`` in Bahasa
    Indonesia, each falling back to the other; else its name), from the resolved scenario."""
    policies = (scenario or {}).get("policies") or {}
    return {name: localized(p or {}, "label", lang) or name for name, p in policies.items()}


def station_labels(scenario: dict | None, lang: str = "en") -> dict[str, str]:
    """Display label of each station in ``lang`` (``label`` / ``label_id``, else its name), from the resolved
    scenario."""
    return {st["name"]: localized(st, "label", lang) or st["name"] for st in (scenario or {}).get("stations", [])
            if isinstance(st, dict) and "name" in st}


_STATION_TABLES = ("summary", "comparison", "sweep", "staffing")
"""Tables of a results folder whose ``label`` column names a station."""


def in_language(data: dict, lang: str) -> dict:
    """The folder ``data`` (:func:`load_results`) as a reader of ``lang`` sees it: every label and
    the description in ``lang``, the one place where charts and the report pick a language's names.

    In the resolved scenario (a copy), each station's and policy's ``label`` becomes its label in
    ``lang`` and ``description`` the description in ``lang`` (:func:`simulation.strings.localized`:
    ``label_id`` / ``description_id`` in Bahasa Indonesia, each falling back to the other
    language); the ``label`` column of the station tables (``summary``, ``comparison``, ``sweep``,
    ``staffing``) and of ``citizens`` (a policy) follows the scenario. The CSV files keep the
    scenario's ``label``; rows the scenario does not name (``all``) keep theirs. A city folder has
    no scenario: ``city.csv`` carries each policy's Indonesian label as ``label_id``.
    """
    out = dict(data)
    scenario = data.get("scenario")
    stations, policies = station_labels(scenario, lang), policy_labels(scenario, lang)
    if scenario:
        scenario = dict(scenario)
        scenario["description"] = localized(scenario, "description", lang)
        scenario["stations"] = [{**st, "label": stations[st["name"]]} if isinstance(st, dict) and "name" in st
                                else st for st in scenario.get("stations", [])]
        if scenario.get("policies"):
            scenario["policies"] = {name: {**(p or {}), "label": policies[name]}
                                    for name, p in scenario["policies"].items()}
        out["scenario"] = scenario
    for name, labels in [*((n, stations) for n in _STATION_TABLES), ("citizens", policies)]:
        table = data.get(name)
        if table is None or not labels or "label" not in table.columns:
            continue
        key = "policy" if name == "citizens" else "station"
        table = table.copy()
        table["label"] = [labels.get(k, old) for k, old in zip(table[key], table["label"])]
        out[name] = table
    city = data.get("city")
    if city is not None and "label_id" in city.columns:
        city = city.copy()
        city["label"] = [localized({"label": en, "label_id": own}, "label", lang) or en
                         for en, own in zip(city["label"].fillna(""), city["label_id"].fillna(""))]
        out["city"] = city
    return out


def run_settings(scenario: dict | None, visits: pd.DataFrame | None = None) -> dict:
    """Opening hours, days, warm-up and first weekday, from the resolved scenario (defaults if absent)."""
    run = (scenario or {}).get("run", {})
    open_minute = _clock_minutes(run.get("open", "08:00"))
    close_minute = _clock_minutes(run.get("close", "16:00"))
    days = run.get("days")
    if days is None:
        days = int(visits["day"].max()) if visits is not None and len(visits) else 1
    start = run.get("start_weekday", "monday")
    opens, closes, weekdays = _working_days(scenario, int(days), start)
    return {
        "day_opens": opens,
        "day_closes": closes,
        "day_weekdays": weekdays,
        "open_minute": open_minute,
        "close_minute": close_minute,
        # Hours of the longest working day (its own opening and closing, from the calendar).
        "hours_open": int(math.ceil(float(np.max(closes - opens)) / 60)) if len(opens) else
        math.ceil((close_minute - open_minute) / 60),
        "days": int(days),
        "warmup": float(run.get("warmup_minutes", 0.0)),
        "start_weekday": WEEKDAYS.index(start) if start in WEEKDAYS else 0,
        "open": run.get("open", "08:00"),
        "close": run.get("close", "16:00"),
    }


# ---------------------------------------------------------------------------------------
# Helpers


def _order(values) -> list:
    return list(dict.fromkeys(values))


def _stations(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per station in scenario order: station, label, target_wait_minutes."""
    cols = [c for c in ("station", "label", "target_wait_minutes") if c in summary.columns]
    out = summary[cols].drop_duplicates("station").reset_index(drop=True)
    if "label" not in out.columns:
        out["label"] = out["station"]
    return out


def _counter_visits(visits: pd.DataFrame, warmup: float) -> pd.DataFrame:
    """Counter visits (not online requests) arriving at or after the warm-up."""
    return visits[(visits["outcome"] != "online") & (visits["arrival"] >= warmup)]


def _finding(key: str, **args) -> dict:
    return {"key": key, "args": args}


def _with_attrs(table: pd.DataFrame, policies: list[str], finding: dict, **extra) -> pd.DataFrame:
    table.attrs.update({"policies": list(policies), "baseline": policies[0] if policies else None,
                        "finding": finding, **extra})
    return table


def _t_band(matrix: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise mean and Student-t interval over the rows (replications) of ``matrix``."""
    n = matrix.shape[0]
    mean = matrix.mean(axis=0)
    if n < 2:
        nan = np.full_like(mean, np.nan)
        return mean, nan, nan
    half = t_quantile(0.5 + confidence / 2, n - 1) * matrix.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def _pct(x) -> np.ndarray:
    return 100 * np.asarray(x, dtype=float)


def _pct_clipped(x) -> np.ndarray:
    return np.clip(_pct(x), 0, 100)


def _nice_ceiling(x: float) -> float:
    """A round number at or above ``x`` for an axis limit."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * step >= x:
            return m * step
    return 10 * step  # pragma: no cover


# ---------------------------------------------------------------------------------------
# 1. Service standard met


CITIZENS_ROW = "__citizens__"
"""The ``station`` of the standard-met chart's first group: citizens, not visits."""


def standard_met_table(summary: pd.DataFrame, required_share: float = REQUIRED_SHARE,
                       citizens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of counter visits called within each station's target, per policy and station (percent).

    Columns: policy, station, label, target_wait_minutes, share_pct, ci_low_pct, ci_high_pct,
    meets. ``share_pct`` is ``summary.within_target_share`` x 100; the interval is the
    summary's, clipped to 0..100 %. With ``citizens`` (``citizens.csv``) the table starts
    with one row per policy for the citizens (``station =`` :data:`CITIZENS_ROW`): the share
    whose whole business was done on the first trip within every standard — the same people
    under every policy. The title is about the stations.
    """
    policies = _order(summary["policy"])
    table = pd.DataFrame(
        {
            "policy": summary["policy"].to_numpy(),
            "station": summary["station"].to_numpy(),
            "label": summary["label"].to_numpy() if "label" in summary else summary["station"].to_numpy(),
            "target_wait_minutes": summary["target_wait_minutes"].to_numpy(dtype=float),
            "share_pct": _pct(summary["within_target_share"]),
            "ci_low_pct": _pct_clipped(summary["within_target_share_ci_low"]),
            "ci_high_pct": _pct_clipped(summary["within_target_share_ci_high"]),
        }
    )
    table["meets"] = table["share_pct"] >= 100 * required_share - 1e-9
    known = table[table["share_pct"].notna()]
    baseline = policies[0]
    if len(known) and (~known["meets"]).any():
        worst = known.loc[known["share_pct"].idxmin()]
        args = {
            "policy": ("text", worst.policy),
            "share": ("pct", worst.share_pct / 100),
            "label": ("text", worst.label),
            "target": ("count", worst.target_wait_minutes),
        }
        if worst.policy == baseline:
            finding = _finding("sm_title_baseline_fails", **args)
        else:
            base = table[(table.policy == baseline) & (table.station == worst.station)]["share_pct"]
            finding = _finding("sm_title_worst", baseline=("text", baseline),
                               base_share=("pct", float(base.iloc[0]) / 100 if len(base) else np.nan), **args)
    else:
        finding = _finding("sm_title_all_meet", required=("pct", required_share))
    if citizens is not None and len(citizens):
        people = pd.DataFrame({
            "policy": citizens["policy"].to_numpy(),
            "station": CITIZENS_ROW,
            "label": "",
            "target_wait_minutes": np.nan,
            "share_pct": _pct(citizens["first_trip_within_target_share"]),
            "ci_low_pct": _pct_clipped(citizens["first_trip_within_target_share_ci_low"]),
            "ci_high_pct": _pct_clipped(citizens["first_trip_within_target_share_ci_high"]),
        })
        people["meets"] = people["share_pct"] >= 100 * required_share - 1e-9
        table = pd.concat([people, table], ignore_index=True)
    return _with_attrs(table, policies, finding, required_pct=100 * required_share)


# ---------------------------------------------------------------------------------------
# 2. Waiting-time distribution


def wait_ecdf_table(
    visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None, points: int = 300
) -> pd.DataFrame:
    """Share of a station's citizens called within ``wait`` minutes, for a grid of waits (percent).

    For each replication, the share of the station's counter arrivals that were served
    after waiting at most ``wait`` minutes (citizens sent home never count); ``share_pct`` is
    the mean over replications — so at ``wait = target_wait_minutes`` it equals the
    summary's ``within_target_share``. Every station's grid runs from 0 to the same round
    number — beyond the largest 95th-percentile wait of any policy at any station, and at
    least twice the longest standard — so the panels share one wait axis and can be read
    side by side; each station's grid includes its own target.

    Columns: policy, station, label, target_wait_minutes, wait, share_pct.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    v = _counter_visits(visits, run["warmup"])
    groups = {key: g for key, g in v.groupby(["policy", "station"], sort=False)}
    rows = []
    p95 = summary["p95_wait"].to_numpy(dtype=float)
    targets = summary["target_wait_minutes"].to_numpy(dtype=float)
    upper = _nice_ceiling(max(2 * np.nanmax(targets) if len(targets) else 0.0,
                              np.nanmax(p95) if np.isfinite(p95).any() else 0.0, 1.0))
    for st in _stations(summary).itertuples(index=False):
        target = float(st.target_wait_minutes)
        grid = np.union1d(np.linspace(0.0, upper, points + 1), [target])
        for policy in policies:
            g = groups.get((policy, st.station))
            curves = []
            if g is not None:
                curves = [share_called_within(r, grid) for _, r in g.groupby("replication", sort=True)]
            share = np.mean(curves, axis=0) if curves else np.full(len(grid), np.nan)
            rows.append(
                pd.DataFrame(
                    {
                        "policy": policy,
                        "station": st.station,
                        "label": st.label,
                        "target_wait_minutes": target,
                        "wait": grid,
                        "share_pct": _pct(share),
                    }
                )
            )
    table = pd.concat(rows, ignore_index=True)
    return _with_attrs(table, policies, _ecdf_finding(table, policies))


def _nine_in_ten(curve: pd.DataFrame) -> float:
    """The wait by which the curve reaches 90 % of visits called (``inf`` if it never does)."""
    reached = curve.loc[curve["share_pct"] >= 90 - 1e-9, "wait"]
    return float(reached.iloc[0]) if len(reached) else np.inf


def _ecdf_finding(table: pd.DataFrame, policies: list[str]) -> dict:
    """The title of the waiting-time chart, read off the curves it draws: by what wait 9 in 10
    visits to a station were called, for the station and policy where that grew most. Among
    curves that never reach 9 in 10 within the axis, the one that ends lowest."""
    baseline = policies[0]
    groups = {key: g for key, g in table.groupby(["policy", "station"], sort=False) if g["share_pct"].notna().any()}
    points = {key: _nine_in_ten(g) for key, g in groups.items()}
    if not points:
        return _finding("ecdf_title_generic")
    labels = dict(zip(table["station"], table["label"]))
    best = None
    for (policy, station), p90 in points.items():
        if policy == baseline or (baseline, station) not in points:
            continue
        base = points[(baseline, station)]
        rise = (np.inf if not np.isfinite(p90) else p90) - base if np.isfinite(base) else -np.inf
        end = -float(groups[(policy, station)]["share_pct"].iloc[-1])  # the lower the curve ends, the worse
        if best is None or (rise, end) > best[0]:
            best = ((rise, end), policy, station, p90, base)
    if best is not None and np.isfinite(best[4]):
        _, policy, station, p90, base = best
        g = table[(table.policy == policy) & (table.station == station)]
        if not np.isfinite(p90):
            # Both shares at the same wait (the end of the axis): one way of saying it, side by side.
            b = table[(table.policy == baseline) & (table.station == station)]
            return _finding("ecdf_title_never", policy=("text", policy), label=("text", labels[station]),
                            share=("pct", float(g["share_pct"].iloc[-1]) / 100), upper=("min", float(g["wait"].max())),
                            baseline=("text", baseline), base_share=("pct", float(b["share_pct"].iloc[-1]) / 100))
        return _finding("ecdf_title", policy=("text", policy), label=("text", labels[station]),
                        p90=("min", p90), baseline=("text", baseline), base_p90=("min", base))
    (policy, station), p90 = max(points.items(), key=lambda kv: kv[1])
    if not np.isfinite(p90):
        g = table[(table.policy == policy) & (table.station == station)]
        return _finding("ecdf_title_single_never", policy=("text", policy), label=("text", labels[station]),
                        share=("pct", float(g["share_pct"].iloc[-1]) / 100), upper=("min", float(g["wait"].max())))
    return _finding("ecdf_title_single", policy=("text", policy), label=("text", labels[station]),
                    p90=("min", p90))


# ---------------------------------------------------------------------------------------
# 3. Mean wait by hour of arrival


HEADLINE_HOUR_SHARE = 0.05
"""The wait-by-hour title names an hour only if it brings at least this share of the desk's visits."""


def hourly_wait_table(visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None) -> pd.DataFrame:
    """Mean wait of counter visits by clock hour of arrival, with a t-interval over replications.

    Every counter visit counts, with its wait until it was called or left unserved (the
    ``mean_wait_all`` of :mod:`simulation.measures`), so that the baseline and a policy are
    averaged over the same arrivals.

    Each replication's mean wait of the visits arriving in that hour (all days together);
    then the mean over replications and its 95 % Student-t interval. Hours with nobody
    served in any replication are NaN (drawn as a gap).

    Columns: policy, station, label, hour (0 = first open hour), clock ("08:00"), x_hours
    (clock hour as a number, e.g. 8.0), mean_wait, ci_low, ci_high, replications, served.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    v = _counter_visits(visits, run["warmup"])
    offset = v["arrival"].to_numpy() - run["day_opens"][v["day"].to_numpy(dtype=int) - 1]
    v = v.assign(hour=np.floor(offset / 60).astype(int))
    per_rep = v.groupby(["policy", "station", "hour", "replication"], sort=False)["wait"].agg(["mean", "size"])
    per_rep = per_rep.reset_index()
    groups = {key: g for key, g in per_rep.groupby(["policy", "station", "hour"], sort=False)}
    # Opening hours only: a visit reaching a later desk after closing (sent home at the door) has
    # no hour of the working day to be drawn at.
    hours = range(run["hours_open"])
    rows = []
    for policy in policies:
        for st in _stations(summary).itertuples(index=False):
            for h in hours:
                g = groups.get((policy, st.station, h))
                mean, lo, hi = t_interval(g["mean"]) if g is not None else (np.nan,) * 3
                rows.append(
                    {
                        "policy": policy,
                        "station": st.station,
                        "label": st.label,
                        "hour": h,
                        "clock": clock_text(run["open_minute"] + 60 * h),
                        "x_hours": (run["open_minute"] + 60 * h) / 60,
                        "mean_wait": mean,
                        "ci_low": lo,
                        "ci_high": hi,
                        "replications": 0 if g is None else len(g),
                        "served": 0 if g is None else int(g["size"].sum()),
                    }
                )
    table = pd.DataFrame(rows)
    baseline = policies[0]
    known = table[table["mean_wait"].notna() & (table["hour"] < run["hours_open"])]
    base_known = known[known.policy == baseline]
    # The headline hour is the largest rise over the baseline, among the hours that bring at
    # least HEADLINE_HOUR_SHARE of the desk's visits: a lunch hour when few arrive can show the
    # longest mean wait of a handful of people, which is not where the policy hurts most.
    busy = base_known["served"] >= HEADLINE_HOUR_SHARE * base_known.groupby("station")["served"].transform("sum")
    others = known[known.policy != baseline].merge(
        base_known.loc[busy, ["station", "hour", "mean_wait"]], on=["station", "hour"], suffixes=("", "_base"))
    if len(others):
        row = others.loc[(others["mean_wait"] - others["mean_wait_base"]).idxmax()]
        finding = _finding("hour_title", policy=("text", row.policy), label=("text", row.label),
                           hour=("clock", 60 * row.x_hours), wait=("min", row.mean_wait), baseline=("text", baseline),
                           base_wait=("min", row.mean_wait_base), share=("pct", HEADLINE_HOUR_SHARE))
    elif len(known):
        row = known.loc[known["mean_wait"].idxmax()]
        finding = _finding("hour_title_single", policy=("text", row.policy), label=("text", row.label),
                           hour=("clock", 60 * row.x_hours), wait=("min", row.mean_wait))
    else:
        finding = _finding("hour_title_generic")
    breaks, closes = day_marks(scenario)
    return _with_attrs(table, policies, finding, breaks=breaks, closes=closes)


# ---------------------------------------------------------------------------------------
# 4. Queue length over the day


def queue_over_day_table(
    visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None, step_minutes: float = 10.0
) -> pd.DataFrame:
    """Number of citizens waiting at each station through the day, mean over days and replications.

    A counter visit is waiting from its arrival until its service starts or it leaves
    unserved (``arrival + wait``). The count is sampled every ``step_minutes`` from opening
    until the last citizen of any day has been called — but no longer than half the opening
    hours (at least two hours) after closing, and never into the next opening — on every
    simulated day; each replication's mean over days is one value, and the band is the 95 %
    Student-t interval over replications (clipped at 0). Over opening hours the curve
    averages to the summary's ``mean_queue_length``.

    Columns: policy, station, label, minute (since opening), x_hours (clock hour as a
    number), mean_queue, band_low, band_high.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    all_reps = {p: np.sort(g["replication"].unique()) for p, g in visits.groupby("policy", sort=False)}
    v = _counter_visits(visits, run["warmup"])
    leave = v["arrival"].to_numpy() + v["wait"].to_numpy()
    day_open = run["day_opens"][v["day"].to_numpy(dtype=int) - 1]
    open_span = float(np.max(run["day_closes"] - run["day_opens"]))
    latest = float(np.max(leave - day_open)) if len(v) else open_span
    longest = min(open_span + max(open_span / 2, 120), MINUTES_PER_DAY - step_minutes)
    span = min(max(open_span, math.ceil(latest / step_minutes) * step_minutes), longest)
    offsets = np.arange(0.0, span + step_minutes / 2, step_minutes)
    opens = np.asarray(run["day_opens"], dtype=float)
    times = (opens[:, None] + offsets[None, :]).ravel()
    v = v.assign(leave=leave)
    groups = {key: g for key, g in v.groupby(["policy", "station", "replication"], sort=False)}
    rows = []
    for policy in policies:
        reps = all_reps.get(policy, np.empty(0, dtype=int))
        for st in _stations(summary).itertuples(index=False):
            curves = np.zeros((max(len(reps), 1), len(offsets)))
            for i, rep in enumerate(reps):
                g = groups.get((policy, st.station, rep))
                if g is None:
                    continue
                arrived = np.searchsorted(np.sort(g["arrival"].to_numpy()), times, side="right")
                left = np.searchsorted(np.sort(g["leave"].to_numpy()), times, side="right")
                curves[i] = (arrived - left).reshape(len(opens), len(offsets)).mean(axis=0)
            mean, lo, hi = _t_band(curves[: len(reps)] if len(reps) else curves)
            rows.append(
                pd.DataFrame(
                    {
                        "policy": policy,
                        "station": st.station,
                        "label": st.label,
                        "minute": offsets,
                        "x_hours": (run["open_minute"] + offsets) / 60,
                        "mean_queue": mean,
                        "band_low": np.maximum(lo, 0),
                        "band_high": hi,
                    }
                )
            )
    table = pd.concat(rows, ignore_index=True)
    peaks = table.loc[table.groupby(["policy", "station"], sort=False)["mean_queue"].idxmax()]
    baseline = policies[0]
    others = peaks[peaks.policy != baseline]
    base_peak = peaks[peaks.policy == baseline].set_index("station")["mean_queue"]
    if len(others):
        row = others.loc[others["mean_queue"].idxmax()]
        finding = _finding("queue_title", policy=("text", row.policy), label=("text", row.label),
                           n=("count", row.mean_queue), time=("clock", 60 * row.x_hours),
                           baseline=("text", baseline), base_n=("count", base_peak.get(row.station, np.nan)))
    elif len(peaks):
        row = peaks.loc[peaks["mean_queue"].idxmax()]
        finding = _finding("queue_title_single", policy=("text", row.policy), label=("text", row.label),
                           n=("count", row.mean_queue), time=("clock", 60 * row.x_hours))
    else:  # pragma: no cover - a summary always has rows
        finding = _finding("queue_title_generic")
    breaks, closes = day_marks(scenario)
    return _with_attrs(table, policies, finding, open_hours=run["open_minute"] / 60,
                       close_hours=run["close_minute"] / 60, step_minutes=step_minutes, breaks=breaks, closes=closes)


# ---------------------------------------------------------------------------------------
# 5. Utilisation


def utilisation_table(summary: pd.DataFrame, replications: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of on-site officer time spent serving, per policy and station (percent).

    ``util_pct`` is ``summary.utilization`` x 100 (the mean over replications); the
    interval is the 95 % Student-t interval over ``replications.csv``'s per-replication
    values (NaN without it), clipped to 0..100 %.

    Columns: policy, station, label, util_pct, ci_low_pct, ci_high_pct.
    """
    policies = _order(summary["policy"])
    lo, hi = [], []
    for row in summary.itertuples(index=False):
        if replications is None:
            lo.append(np.nan)
            hi.append(np.nan)
            continue
        r = replications[(replications.policy == row.policy) & (replications.station == row.station)]
        _, a, b = t_interval(r["utilization"])
        lo.append(a)
        hi.append(b)
    table = pd.DataFrame(
        {
            "policy": summary["policy"].to_numpy(),
            "station": summary["station"].to_numpy(),
            "label": summary["label"].to_numpy() if "label" in summary else summary["station"].to_numpy(),
            "util_pct": _pct(summary["utilization"]),
            "ci_low_pct": _pct_clipped(lo),
            "ci_high_pct": _pct_clipped(hi),
        }
    )
    baseline = policies[0]
    known = table[table["util_pct"].notna()]
    others = known[known.policy != baseline]
    if len(others):
        row = others.loc[others["util_pct"].idxmax()]
        base = table[(table.policy == baseline) & (table.station == row.station)]["util_pct"]
        finding = _finding("util_title", policy=("text", row.policy), label=("text", row.label),
                           util=("pct", row.util_pct / 100), baseline=("text", baseline),
                           base_util=("pct", float(base.iloc[0]) / 100 if len(base) else np.nan))
    elif len(known):
        row = known.loc[known["util_pct"].idxmax()]
        finding = _finding("util_title_single", policy=("text", row.policy), label=("text", row.label),
                           util=("pct", row.util_pct / 100))
    else:
        finding = _finding("util_title_generic")
    return _with_attrs(table, policies, finding)


# ---------------------------------------------------------------------------------------
# 6. Citizens not served


WEEKLY_AFTER_DAYS = 60
"""Beyond this many simulated days the not-served chart draws weeks (five working days), not days."""


def not_served_table(visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None) -> pd.DataFrame:
    """Citizens sent home unserved per simulated day and policy, by reason (mean over replications).

    Every replication of the policy counts, with zero on days nobody was sent home; the
    interval on ``total`` is the 95 % Student-t interval over replications. Beyond
    :data:`WEEKLY_AFTER_DAYS` days, rows are weeks of five working days (still per day, the
    week's mean), so that a long horizon stays readable (``attrs["by_week"]``).

    Columns: policy, day (the day, or the week), weekday ("monday".."friday"; empty for a
    week), turned_away, balked, reneged, total, total_ci_low, total_ci_high.
    ``attrs["all_zero"]`` is True when nobody was sent home under any policy.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    n_days = run["days"]
    by_week = n_days > WEEKLY_AFTER_DAYS
    period_of_day = (np.arange(n_days) // 5 + 1) if by_week else np.arange(1, n_days + 1)
    periods = np.unique(period_of_day)
    days_in = np.bincount(period_of_day)[periods]
    v = _counter_visits(visits, run["warmup"])
    v = v[v["outcome"].isin(REASONS)]
    counts = (v.assign(period=period_of_day[v["day"].to_numpy(dtype=int) - 1])
              .groupby(["policy", "replication", "period", "outcome"]).size())
    rows = []
    for policy in policies:
        reps = np.sort(visits.loc[visits.policy == policy, "replication"].unique())
        grid = np.zeros((len(REASONS), len(reps), len(periods)))
        if policy in counts.index.get_level_values(0):
            part = counts.loc[policy]
            rep_pos = {r: i for i, r in enumerate(reps)}
            per_pos = {p: i for i, p in enumerate(periods)}
            for (rep, period, reason), n in part.items():
                grid[REASONS.index(reason), rep_pos[rep], per_pos[period]] = n
        grid /= days_in[None, None, :]  # per day
        for j, period in enumerate(periods):
            mean, lo, hi = t_interval(grid[:, :, j].sum(axis=0))
            rows.append(
                {
                    "policy": policy,
                    "day": int(period),
                    "weekday": "" if by_week else DAY_NAMES[int(run["day_weekdays"][period - 1])],
                    **{reason: float(grid[k, :, j].mean()) if len(reps) else np.nan
                       for k, reason in enumerate(REASONS)},
                    "total": mean,
                    "total_ci_low": max(lo, 0.0) if np.isfinite(lo) else lo,
                    "total_ci_high": hi,
                }
            )
    table = pd.DataFrame(rows)
    all_zero = bool((table["total"].fillna(0) == 0).all())
    baseline = policies[0]
    per_day = table.groupby("policy", sort=False)["total"].mean()
    if all_zero:
        finding = _finding("ns_title_none")
    elif len(per_day) > 1:
        worst = per_day.drop(baseline, errors="ignore").idxmax()
        finding = _finding("ns_title", policy=("text", worst), n=("count", per_day[worst]),
                           baseline=("text", baseline), base_n=("count", per_day.get(baseline, np.nan)))
    else:
        finding = _finding("ns_title_single", policy=("text", baseline), n=("count", per_day[baseline]))
    return _with_attrs(table, policies, finding, all_zero=all_zero, by_week=by_week)


# ---------------------------------------------------------------------------------------
# 6b. Waits by weekday, outcomes by priority class


def weekday_wait_table(visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None) -> pd.DataFrame:
    """Mean wait at the counters (every counter visit, all stations) per weekday and policy.

    Each replication's mean over the visits arriving on that weekday; then the mean over
    replications with its 95 % Student-t interval. Columns: policy, weekday, weekday_index
    (0 = Monday), mean_wait, ci_low, ci_high.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    v = _counter_visits(visits, run["warmup"])
    weekday = np.asarray(run["day_weekdays"])[v["day"].to_numpy(dtype=int) - 1]
    per_rep = (v.assign(weekday_index=weekday).groupby(["policy", "weekday_index", "replication"])["wait"].mean()
               .reset_index())
    rows = []
    for policy in policies:
        for wd in sorted(set(weekday.tolist())):
            g = per_rep[(per_rep.policy == policy) & (per_rep.weekday_index == wd)]
            mean, lo, hi = t_interval(g["wait"])
            rows.append({"policy": policy, "weekday": DAY_NAMES[wd], "weekday_index": wd, "mean_wait": mean,
                         "ci_low": max(lo, 0.0) if np.isfinite(lo) else lo, "ci_high": hi})
    table = pd.DataFrame(rows, columns=["policy", "weekday", "weekday_index", "mean_wait", "ci_low", "ci_high"])
    baseline = policies[0]
    others = table[(table.policy != baseline) & table.mean_wait.notna()]
    known = table[table.mean_wait.notna()]
    if len(others):
        row = others.loc[others.mean_wait.idxmax()]
        base = table[(table.policy == baseline) & (table.weekday == row.weekday)]["mean_wait"]
        finding = _finding("weekday_title", policy=("text", row.policy), weekday=("weekday", row.weekday),
                           wait=("min", row.mean_wait), baseline=("text", baseline),
                           base_wait=("min", float(base.iloc[0]) if len(base) else np.nan))
    elif len(known):
        row = known.loc[known.mean_wait.idxmax()]
        finding = _finding("weekday_title_single", policy=("text", row.policy), weekday=("weekday", row.weekday),
                           wait=("min", row.mean_wait))
    else:
        finding = _finding("weekday_title_generic")
    return _with_attrs(table, policies, finding)


def class_table(visits: pd.DataFrame, summary: pd.DataFrame, scenario: dict | None = None) -> pd.DataFrame:
    """Share of counter visits called within standard per priority class and policy (an equity view).

    All stations together, each visit judged by its station's standard; per replication,
    then the mean and 95 % Student-t interval over replications (percent). Columns: policy,
    station (the class), label, share_pct, ci_low_pct, ci_high_pct, visits.
    """
    run = run_settings(scenario, visits)
    policies = _order(summary["policy"])
    v = _counter_visits(visits, run["warmup"])
    targets = dict(zip(summary["station"], summary["target_wait_minutes"]))
    v = v.assign(ok=within_target(v, v["station"].map(targets).to_numpy(dtype=float)))
    per_rep = v.groupby(["policy", "class", "replication"])["ok"].agg(["mean", "size"]).reset_index()
    classes = _order(c for c in v["class"] if c != "umum") + (["umum"] if (v["class"] == "umum").any() else [])
    rows = []
    for policy in policies:
        for klass in classes:
            g = per_rep[(per_rep.policy == policy) & (per_rep["class"] == klass)]
            mean, lo, hi = t_interval(g["mean"])
            rows.append({"policy": policy, "station": klass, "label": klass.replace("_", " "),
                         "share_pct": 100 * mean, "ci_low_pct": np.clip(100 * lo, 0, 100),
                         "ci_high_pct": np.clip(100 * hi, 0, 100), "visits": g["size"].sum() / max(len(g), 1)})
    table = pd.DataFrame(rows, columns=["policy", "station", "label", "share_pct", "ci_low_pct", "ci_high_pct",
                                        "visits"])
    baseline = policies[0]
    others = table[(table.policy != baseline) & table.share_pct.notna() & (table.station != "umum")]
    general = table[(table.policy != baseline) & table.share_pct.notna() & (table.station == "umum")]
    if len(others) and len(general) and others.share_pct.min() >= 100 * REQUIRED_SHARE - 1e-9:
        # Priority protects the priority classes: the story is the general queue.
        row = general.loc[general.share_pct.idxmin()]
        base = table[(table.policy == baseline) & (table.station == "umum")]["share_pct"]
        finding = _finding("class_title_protected", policy=("text", row.policy),
                           low=("pct", others[others.policy == row.policy].share_pct.min() / 100),
                           share=("pct", row.share_pct / 100), baseline=("text", baseline),
                           base_share=("pct", float(base.iloc[0]) / 100 if len(base) else np.nan))
    elif len(others):
        row = others.loc[others.share_pct.idxmin()]
        base = table[(table.policy == baseline) & (table.station == row.station)]["share_pct"]
        finding = _finding("class_title", policy=("text", row.policy), label=("class", row.station),
                           share=("pct", row.share_pct / 100), baseline=("text", baseline),
                           base_share=("pct", float(base.iloc[0]) / 100 if len(base) else np.nan))
    else:
        finding = _finding("class_title_generic")
    return _with_attrs(table, policies, finding, required_pct=100 * REQUIRED_SHARE)


# ---------------------------------------------------------------------------------------
# 7. Sweep and staffing


def _downstream(scenario: dict | None, stations: list[str]) -> set[str]:
    """Stations a citizen can reach after any of ``stations`` (by ``next``), from the resolved scenario."""
    nxt = {st["name"]: set((st.get("next") or {}).keys()) for st in (scenario or {}).get("stations", [])}
    seen: set[str] = set()
    todo = [n for s in stations for n in nxt.get(s, ())]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo += list(nxt.get(s, ()))
    return seen - set(stations)


def sweep_curve_table(
    sweep: pd.DataFrame, required_share: float = REQUIRED_SHARE, swept: list[str] | None = None,
    scenario: dict | None = None,
) -> pd.DataFrame:
    """``sweep.csv`` ready to draw: shares and intervals in percent, by swept group.

    ``sweep.csv`` has a ``swept`` column (the station, or stations joined by ``+``, whose
    officers go home); for a folder written before it existed, ``swept`` (``run.json``'s
    ``sweep.stations``, else those with anyone at home) is one group. Adds columns x_pct,
    share_pct, ci_low_pct, ci_high_pct (clipped to 0..100 %), is_swept (this row's station
    is one of those sent home), nobody_served (nobody served at all: the waits are undefined).

    ``attrs["notes"]``: per group, stations whose waits *fall* as the swept desk's officers
    go home because fewer citizens reach them (their visits drop) — said in words, so that
    a downstream desk's "improvement" is not read as good news.
    """
    table = sweep.copy()
    if "swept" not in table:
        names = swept or _order(table.loc[table["at_home"] > 0, "station"])
        table.insert(0, "swept", "+".join(names))
    if "mean_wait_all" not in table:
        for suffix in ("", "_ci_low", "_ci_high"):
            table[f"mean_wait_all{suffix}"] = table[f"mean_wait{suffix}"]
    table["x_pct"] = _pct(table["wfh_share"])
    table["share_pct"] = _pct(table["within_target_share"])
    table["ci_low_pct"] = _pct_clipped(table["within_target_share_ci_low"])
    table["ci_high_pct"] = _pct_clipped(table["within_target_share_ci_high"])
    table["is_swept"] = [st in g.split("+") for st, g in zip(table["station"], table["swept"])]
    table["nobody_served"] = table["mean_wait"].isna() & (table["not_served"] > 0)
    labels = dict(zip(table["station"], table["label"]))
    groups = _order(table["swept"])

    def group_labels(group: str) -> tuple:
        return ("list", [labels.get(s, s) for s in group.split("+")])

    def share_arg(group: str, share: float) -> tuple:
        """The share, with "(1 of 3)" officers when a single station is swept."""
        if "+" in group:
            return ("pct", share)
        row = table[(table.swept == group) & (table.wfh_share == share) & (table.station == group)].iloc[0]
        return ("pct_of", (share, int(row.at_home), int(row.staff)))

    failing = table[table["share_pct"] < 100 * required_share - 1e-9].sort_values("wfh_share", kind="stable")
    shares = sorted(table["wfh_share"].unique())
    if len(failing) and failing.iloc[0].wfh_share == 0:
        first = failing.iloc[0]
        finding = _finding("sweep_title_fails_at_zero", required=("pct", required_share),
                           label=("text", first.label))
    elif len(failing):
        first = failing.iloc[0]
        finding = _finding("sweep_title_breaks", share=share_arg(first.swept, first.wfh_share),
                           stations=group_labels(first.swept), required=("pct", required_share),
                           label=("text", first.label))
    else:
        last = groups[-1]
        finding = _finding("sweep_title_holds", share=share_arg(last, shares[-1]),
                           stations=group_labels(last), required=("pct", required_share))
    notes = []
    for group in groups:
        swept_rows = table[(table.swept == group) & table.is_swept].groupby("wfh_share")["mean_wait_all"].max()
        below = _downstream(scenario, group.split("+"))
        part = table[(table.swept == group) & table.station.isin(below)]
        for _, g in part.groupby("station", sort=False):
            g = g.sort_values("wfh_share")
            first = g.iloc[0]
            # A desk after the swept one waits less while the swept desk waits more: citizens are
            # held up in the swept desk's queue and reach this one later and more spread out.
            upstream_worse = g["wfh_share"].map(swept_rows) > swept_rows.get(first.wfh_share, np.inf)
            better = g[(g.mean_wait_all < 0.9 * first.mean_wait_all) & upstream_worse]
            if len(better):
                last = better.iloc[-1]
                notes.append({"group": group, "finding": _finding(
                    "sweep_note_downstream", label=("text", first.label), stations=group_labels(group),
                    base=("min", first.mean_wait_all), pol=("min", last.mean_wait_all))})
    policies = _order(table["policy"]) if "policy" in table else []
    single = groups[0] if len(groups) == 1 and "+" not in groups[0] else None
    return _with_attrs(table, policies, finding, required_pct=100 * required_share, groups=groups, notes=notes,
                       swept=[s for g in groups for s in g.split("+")], single_station=single)


def may_wfh(staffing: pd.DataFrame) -> pd.Series:
    """Officers of each ``staffing.csv`` row (a desk on a weekday) who could be at home with the
    standard kept: ``may_work_from_home`` where the advice says ``meets``, none elsewhere (a desk
    short of officers, the standard out of reach, no advice). A folder written before ``status``
    existed counts every row as meeting it."""
    meets = staffing["status"].eq("meets") if "status" in staffing else pd.Series(True, index=staffing.index)
    return staffing["may_work_from_home"].where(meets).fillna(0)


def staffing_table(staffing: pd.DataFrame) -> pd.DataFrame:
    """``staffing.csv`` ready to draw, with each weekday's position (0 = Monday).

    ``attrs["finding"]`` says how many officers may work from home each day (all stations
    together), or which station has too few officers to meet the standard.
    """
    table = staffing.copy()
    table["weekday_index"] = [WEEKDAYS.index(w) if w in WEEKDAYS else i for i, w in enumerate(table["weekday"])]
    required = float(table["required_share"].iloc[0]) if "required_share" in table and len(table) else REQUIRED_SHARE
    # Only where the standard is met may the title say a level is needed, or that officers can
    # go home "keeping" it.
    meets = table["status"].eq("meets") if "status" in table else pd.Series(True, index=table.index)
    short = table[(table["recommended_onsite"] > table["staff"]) & meets]
    total = int(table.drop_duplicates("station")["staff"].sum())
    per_day = table.assign(wfh=may_wfh(table)).groupby("weekday_index")["wfh"].sum()
    if len(short):
        row = short.iloc[0]
        finding = _finding("staff_title_short", label=("text", row.label), needed=("count", row.recommended_onsite),
                           weekday=("weekday", row.weekday), staff=("count", row.staff))
    elif not len(per_day) or per_day.max() == 0:
        finding = _finding("staff_title_none", required=("pct", required))
    elif per_day.min() == per_day.max():
        finding = _finding("staff_title_same", n=("count", per_day.max()), total=("count", total),
                           required=("pct", required))
    elif per_day.min() == 0:
        days = [WEEKDAYS[i] for i in per_day.index[per_day > 0] if 0 <= i < len(WEEKDAYS)]
        finding = _finding("staff_title_some_days", hi=("count", per_day.max()), total=("count", total),
                           days=("weekdays", days), required=("pct", required))
    else:
        finding = _finding("staff_title_range", lo=("count", per_day.min()), hi=("count", per_day.max()),
                           total=("count", total), required=("pct", required))
    return _with_attrs(table, [], finding, required_pct=100 * required)


CITY_STANDARD = ("full_office", "wfa_thu_fri", "wfh_25", "wfh_50")
"""The standard policies every office carries (:data:`simulation.city.STANDARD_POLICIES`)."""

CITY_HEADLINE_POLICY = ("wfa_thu_fri", "wfh_50")
"""The policy the city chart's title quotes: the province's scheme, else half at home."""


def city_weeks(city: pd.DataFrame) -> pd.Series:
    """Weeks each row's office simulated: working days simulated over open days a week."""
    return city["days_simulated"].astype(float) / city["open_days_per_week"].astype(float)


def city_officer_days(staffing: pd.DataFrame) -> pd.DataFrame:
    """Per office: officer-days a week at the counters (``officer_days``: each station's staff on each
    weekday simulated) and how many could be at home with every desk within standard
    (``may_wfh_days``: ``may_work_from_home`` where the advice says ``meets``, none elsewhere)."""
    return (staffing.assign(may=may_wfh(staffing)).groupby("office", sort=False)
            .agg(officer_days=("staff", "sum"), may_wfh_days=("may", "sum")).reset_index())


def city_headline(city: pd.DataFrame) -> pd.DataFrame:
    """City-wide cost of each standard policy, per week: one row per standard policy but the baseline.

    Sums over offices of the *same* policy (never of policies that share a name by chance of
    wording): ``extra_citizen_hours_per_week`` and ``extra_never_served_per_week`` (each office's
    paired difference with its own ``full_office``, divided by the weeks it simulated; an office
    without ``full_office`` is left out of every total and named in ``missing``) with 95 %
    intervals combined from the offices' intervals (:func:`simulation.summary_stats.sum_interval`:
    offices are independent, variances add, Welch–Satterthwaite degrees of freedom);
    ``never_served_per_week`` and ``baseline_never_served_per_week`` (levels); ``offices`` (how
    many have the policy) and ``missing`` (those that do not, by name).
    """
    weeks = city_weeks(city)
    offices = list(dict.fromkeys(city["office"]))
    # Only offices whose differences are against everyone at the counter add to a city total.
    with_baseline = set(city.loc[city["policy"] == CITY_STANDARD[0], "office"])
    rows = []
    for policy in CITY_STANDARD[1:]:
        has = (city["policy"] == policy) & city["office"].isin(with_baseline)
        if not has.any():
            continue
        part, w = city[has], weeks[has]
        base = city[(city["policy"] == "full_office") & city["office"].isin(part["office"])]
        row = {"policy": policy, "offices": int(has.sum()),
               "missing": ", ".join(o for o in offices if o not in set(part["office"]))}
        for what, col in (("extra_citizen_hours_per_week", "extra_citizen_hours_lost"),
                          ("extra_never_served_per_week", "extra_never_served")):
            total, lo, hi = sum_interval(part[col], part[f"{col}_ci_low"], part[f"{col}_ci_high"],
                                         part["replications"], 1 / w)
            row.update({what: total, f"{what}_ci_low": lo, f"{what}_ci_high": hi})
        row["never_served_per_week"] = float((part["never_served"] / w).sum())
        row["baseline_never_served_per_week"] = float((base["never_served"] / city_weeks(base)).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def city_chart_table(city: pd.DataFrame, staffing: pd.DataFrame, offices: dict | None = None) -> pd.DataFrame:
    """``city.csv`` and ``city_staffing.csv`` ready to draw: one row per office and standard policy.

    Columns: office, office_label, officer_days, may_wfh_days (a week, from the advice), policy,
    extra_hours_per_week, extra_never_served_per_week (that office under that policy against its
    baseline). ``attrs``: ``headline`` (:func:`city_headline`), ``offices`` (labels) and the
    title's ``finding``. ``offices``: office name -> how a reader knows it (``run.json``).
    """
    labels = {o: (offices or {}).get(o, o) for o in dict.fromkeys(city["office"])}
    days = city_officer_days(staffing).set_index("office")
    weeks = city_weeks(city)
    standard = city[city["policy"].isin(CITY_STANDARD[1:])]
    rows = []
    for office in labels:
        mine = standard[standard["office"] == office]
        for r, w in zip(mine.itertuples(index=False), weeks[mine.index]):
            rows.append({"office": office, "office_label": labels[office],
                         "officer_days": float(days.loc[office, "officer_days"]) if office in days.index else np.nan,
                         "may_wfh_days": float(days.loc[office, "may_wfh_days"]) if office in days.index else np.nan,
                         "policy": r.policy, "extra_hours_per_week": r.extra_citizen_hours_lost / w,
                         "extra_never_served_per_week": r.extra_never_served / w})
    table = pd.DataFrame(rows, columns=["office", "office_label", "officer_days", "may_wfh_days", "policy",
                                        "extra_hours_per_week", "extra_never_served_per_week"])
    headline = city_headline(city)
    total, may = float(days["officer_days"].sum()), float(days["may_wfh_days"].sum())
    quoted = next((p for p in CITY_HEADLINE_POLICY if p in set(headline.get("policy", []))), None)
    if quoted is None:
        finding = _finding("city_title_days", may=("count", may), total=("count", total))
    else:
        h = headline.set_index("policy").loc[quoted]
        finding = _finding("city_title", may=("count", may), total=("count", total),
                           policy=("policy", quoted), hours=("count", h.extra_citizen_hours_per_week),
                           never=("count", round(h.extra_never_served_per_week)))  # whole people
    return _with_attrs(table, [], finding, headline=headline, offices=labels)


# ---------------------------------------------------------------------------------------
# Policies as the report describes them


def policy_onsite_table(scenario: dict, lang: str = "en") -> pd.DataFrame:
    """Officers at the counter per policy, station and weekday, from the resolved scenario.

    Columns: policy, station, label (in ``lang``), staff, onsite (a list, Monday..Friday), at_home
    (list). A scenario without policies has one, ``baseline``, with everyone on site.
    """
    stations = scenario.get("stations", [])
    policies = scenario.get("policies") or {"baseline": {}}
    labels = station_labels(scenario, lang)
    rows = []
    for name, policy in policies.items():
        onsite = policy.get("onsite", {}) if isinstance(policy, dict) else {}
        for st in stations:
            per_day = onsite.get(st["name"])
            per_day = [int(x) for x in per_day] if per_day is not None else [int(st["staff"])] * len(WEEKDAYS)
            rows.append(
                {
                    "policy": name,
                    "station": st["name"],
                    "label": labels.get(st["name"], st["name"]),
                    "staff": int(st["staff"]),
                    "onsite": per_day,
                    "at_home": [int(st["staff"]) - x for x in per_day],
                }
            )
    return pd.DataFrame(rows, columns=["policy", "station", "label", "staff", "onsite", "at_home"])


# ---------------------------------------------------------------------------------------
# Officers at the counter by hour


def officers_by_hour_table(scenario: dict | None, policies: list[str] | None = None, lang: str = "en") -> pd.DataFrame:
    """Officers at each counter in each open hour, per policy, station and weekday, from the resolved scenario.

    The per-weekday table (:func:`policy_onsite_table`) applies a policy to the station's
    ``staff``; the simulation applies it to each hour's *roster* (the rounding rule of
    :mod:`simulation.policies`, hour by hour). With a roster of 2 in the morning and 1 in
    the afternoon, "half at home" and "one officer at home" both leave 1 at the desk in the
    morning, but in the afternoon floor(1 x 0.5) = 0 go home under the first and the one
    officer rostered goes home under the second: nobody is at the desk. This table is what
    the simulation uses — :func:`simulation.policies.staffing_plan` on the scenario's own
    calendar, the single source of those numbers — read at the first simulated day of each
    weekday (every day of a weekday has the same plan).

    One row per policy, station, weekday the run simulates and open hour of that weekday.
    Columns: policy, station, label (in ``lang``), weekday (``"monday"`` ...), weekday_index (0 = Monday),
    hour (0 = the day's first open hour), start, end (minutes after midnight; the last hour may
    be partial), onsite (officers at the counter), at_home (officers of the station working
    from home that hour), open_minutes (minutes of the hour when the counters call: not in a
    break), empty_desk (nobody at the counter although the counters call: ``onsite == 0`` and
    ``open_minutes > 0``), fewer (fewer at the counter than under the baseline that hour).

    Officers recalled from home when the queue grows (a policy's ``recall``) are not counted:
    they come only when the queue calls for them. ``policies``: only these (e.g. those a run
    simulated), in scenario order; the baseline is always kept, first. ``attrs``: ``policies``,
    ``breaks`` (:func:`day_marks`), ``hours`` (clock minutes of every hour start of the week),
    ``open_weekdays`` (weekday names simulated), ``recall`` (policies with a recall), and the
    chart title's ``finding``. Without a scenario (or one that no longer reads) the table is empty.
    """
    from .policies import staffing_plan

    columns = ["policy", "station", "label", "weekday", "weekday_index", "hour", "start", "end", "onsite",
               "at_home", "open_minutes", "empty_desk", "fewer"]
    sc = _scenario_object(scenario)
    if sc is None:
        return _with_attrs(pd.DataFrame(columns=columns), [], _finding("obh_title_none"), breaks=[], hours=[],
                           open_weekdays=[], recall=[])
    cal = office_calendar(sc)
    names = list(sc.staffing_policies())
    chosen = [p for p in names if policies is None or p in policies or p == names[0]]
    # The first simulated day of each weekday stands for every day of that weekday.
    firsts = {int(w): int(np.flatnonzero(cal.weekdays == w)[0]) for w in sorted(set(cal.weekdays.tolist()))}
    rows = []
    for name in chosen:
        plan = staffing_plan(sc, name, cal)
        for wd, d in firsts.items():
            opens, closes = float(cal.opens[d]), float(cal.closes[d])
            clock_open = sc.day_hours(DAY_NAMES[wd])[0]
            for h in range(plan.hourly_onsite.shape[1]):
                s, e = opens + 60 * h, min(opens + 60 * (h + 1), closes)
                if e <= s:
                    break  # a shorter day: the roster's later hours are never worked
                in_break = sum(max(0.0, min(e, b1) - max(s, b0)) for b0, b1 in cal.breaks[d])
                for j, st in enumerate(sc.stations):
                    rows.append({
                        "policy": name, "station": st.name, "label": st.label_in(lang) or st.name,
                        "weekday": DAY_NAMES[wd],
                        "weekday_index": wd, "hour": h, "start": clock_open + 60 * h,
                        "end": clock_open + 60 * h + round(e - s), "onsite": int(plan.hourly_onsite[d, h, j]),
                        "at_home": int(plan.hourly_at_home[d, h, j]), "open_minutes": (e - s) - in_break,
                    })
    table = pd.DataFrame(rows, columns=columns)
    table["empty_desk"] = (table["onsite"] == 0) & (table["open_minutes"] > 0)
    keys = ["station", "weekday_index", "hour"]
    base = table.loc[table.policy == chosen[0], keys + ["onsite"]].rename(columns={"onsite": "base_onsite"})
    table["fewer"] = table.merge(base, on=keys, how="left")["base_onsite"].to_numpy() > table["onsite"].to_numpy()
    empty = empty_desks(table)
    if empty:
        items = [(p, empty[p]) for p in chosen if p in empty]
        finding = _finding("obh_title", items=("empty_items", items))
    else:
        finding = _finding("obh_title_none")
    breaks, _ = day_marks(scenario)
    recall = [p for p in chosen if (sc.policies or {}).get(p) is not None and sc.policies[p].recall]
    return _with_attrs(table, chosen, finding, breaks=breaks, hours=sorted(set(table["start"].tolist())),
                       open_weekdays=[DAY_NAMES[w] for w in firsts], recall=recall)


def empty_desks(table: pd.DataFrame) -> dict[str, list[dict]]:
    """Where each policy leaves a desk with nobody at the counter, from :func:`officers_by_hour_table`.

    ``{policy: [{"station", "label", "spans": [{"days": [weekday names], "every_day": bool,
    "ranges": [(start, end), ...]}], "reason": "home" | "roster" | "mixed", "at_home": n or
    None}]}`` (``every_day``: every weekday the table has), policies and
    stations in scenario order, only those with an empty hour. ``ranges`` are runs of
    consecutive empty hours (clock minutes after midnight, a break inside a run ends it);
    weekdays with the same ranges share a span. ``reason``: ``"home"`` when everyone the
    roster puts there then works from home (``at_home``: how many, when the same in every
    such hour), ``"roster"`` when nobody is rostered then, ``"mixed"`` for both.
    """
    out: dict[str, list[dict]] = {}
    every = {w for w in table["weekday"]}
    empty = table[table["empty_desk"]]
    for policy in _order(empty["policy"]):
        found = []
        part = empty[empty.policy == policy]
        for station in _order(part["station"]):
            cells = part[part.station == station]
            by_day: dict[tuple, list[str]] = {}
            for weekday, day in cells.groupby("weekday_index", sort=True):
                ranges: list[list[float]] = []
                for start, end in zip(day["start"], day["end"]):
                    if ranges and ranges[-1][1] == start:
                        ranges[-1][1] = end
                    else:
                        ranges.append([start, end])
                by_day.setdefault(tuple(tuple(r) for r in ranges), []).append(DAY_NAMES[int(weekday)])
            home = cells["at_home"] > 0
            reason = "home" if home.all() else "roster" if not home.any() else "mixed"
            counts = set(cells["at_home"].tolist())
            found.append({"station": station, "label": cells["label"].iloc[0],
                          "spans": [{"days": days, "every_day": set(days) == every,
                                     "ranges": [tuple(r) for r in ranges]} for ranges, days in by_day.items()],
                          "reason": reason, "at_home": counts.pop() if reason == "home" and len(counts) == 1 else None})
        out[policy] = found
    return out


def officers_by_hour_rows(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`officers_by_hour_table` as the chart and the report show it: one row per policy,
    station and group of weekdays with the same hours, one cell per clock hour.

    The baseline shows every desk; each other policy only the desks and weekdays where it puts a
    different number at the counter in some hour (a policy that changes nothing has no row).
    Weekdays are grouped when every hour has the same officers at the counter and the same
    state. Columns: policy, station, label, days (weekday names), onsite and state (lists over
    ``attrs["hours"]``; state ``"closed"`` (not open that hour), ``"break"`` (open, but the
    counters do not call the whole hour), ``"empty"`` (nobody at the counter), ``"fewer"``
    (fewer than under the baseline) or ``"same"`` (as many, or more); onsite is None where closed).
    """
    hours = table.attrs.get("hours", [])
    policies = table.attrs.get("policies", [])
    keys = ["station", "weekday_index", "hour"]
    base = table.loc[table.policy == policies[0], keys + ["onsite"]] if policies else table.iloc[:0]
    same = table.merge(base, on=keys, how="left", suffixes=("", "_base"))
    same = (same["onsite"] == same["onsite_base"]).to_numpy()
    # A station's weekday that a policy leaves exactly as the baseline has it: not repeated.
    changed = ~pd.Series(same, index=table.index).groupby([table["policy"], table["station"],
                                                           table["weekday_index"]]).transform("all")
    rows = []
    stations = _order(table["station"])  # scenario order (the table runs through every station each hour)
    for policy in policies:
        part = table[(table.policy == policy) & (changed if policy != policies[0] else True)]
        for station in [s for s in stations if s in set(part["station"])]:
            cells = part[part.station == station]
            groups: dict[tuple, list[str]] = {}
            for weekday, day in cells.groupby("weekday_index", sort=True):
                by_start = {r.start: r for r in day.itertuples(index=False)}
                line = []
                for start in hours:
                    r = by_start.get(start)
                    if r is None:
                        line.append((None, "closed"))
                    else:
                        state = ("break" if r.open_minutes <= 0 else "empty" if r.empty_desk else
                                 "fewer" if r.fewer else "same")
                        line.append((int(r.onsite), state))
                groups.setdefault(tuple(line), []).append(DAY_NAMES[int(weekday)])
            for line, days in groups.items():
                rows.append({"policy": policy, "station": station, "label": cells["label"].iloc[0], "days": days,
                             "onsite": [x for x, _ in line], "state": [s for _, s in line]})
    out = pd.DataFrame(rows, columns=["policy", "station", "label", "days", "onsite", "state"])
    out.attrs.update(table.attrs)
    return out


def downstream_notes(comparison: pd.DataFrame | None, scenario: dict | None) -> list[dict]:
    """Desks that look better under a policy only because citizens are held up before them.

    A desk after another one (by ``next``) gets its citizens later and more spread out when
    the earlier desk's queue grows: its waits fall, which is no better service. From
    ``comparison.csv``: a station whose mean wait (every visit) falls by at least 10 % under a
    policy (and whose interval of the change lies below zero, when there is one) while the
    wait rises at a station before it (interval above zero, when there is one), where the
    policy puts no more officers at its counter in any hour than the baseline
    (:func:`officers_by_hour_table`). One finding (``sm_note_downstream``) per desk and set of
    desks before it, naming every such policy, with the desk's name under ``"station"``.
    """
    if comparison is None or not len(comparison) or not scenario:
        return []
    stations = [st["name"] for st in scenario.get("stations", [])]
    before = {s: {u for u in stations if s in _downstream(scenario, [u])} for s in stations}
    if not any(before.values()):
        return []
    labels = policy_labels(scenario)
    hourly = officers_by_hour_table(scenario)
    base = hourly.attrs["policies"][0] if hourly.attrs.get("policies") else None
    more = set()
    if base is not None:
        keys = ["station", "weekday_index", "hour"]
        merged = hourly.merge(hourly.loc[hourly.policy == base, keys + ["onsite"]], on=keys, suffixes=("", "_base"))
        more = set(map(tuple, merged.loc[merged.onsite > merged.onsite_base, ["policy", "station"]].to_numpy()))

    def moved(r, sign: int) -> bool:
        lo, hi = r.diff_mean_wait_all_ci_low, r.diff_mean_wait_all_ci_high
        has_ci = math.isfinite(lo) and math.isfinite(hi)
        if sign < 0:
            return (r.policy_mean_wait_all < 0.9 * r.baseline_mean_wait_all) and (not has_ci or hi < 0)
        return r.diff_mean_wait_all > 0 and (not has_ci or lo > 0)

    grouped: dict[tuple, list[str]] = {}
    names: dict[str, str] = {}
    for policy in _order(comparison["policy"]):
        rows = comparison[(comparison.policy == policy) & (comparison.station != "all")].set_index("station")
        rising = {s for s in rows.index if moved(rows.loc[s], +1)}
        for s in rows.index:
            if s not in before or (policy, s) in more or not moved(rows.loc[s], -1):
                continue
            held = tuple(u for u in stations if u in before[s] and u in rising)
            if held:
                names[s] = rows.loc[s, "label"]
                grouped.setdefault((s, held), []).append(labels.get(policy, policy))
    label_of = dict(zip(comparison["station"], comparison["label"]))
    return [{**_finding("sm_note_downstream", label=("text", names[s]), policies=("list", pols),
                        stations=("list", [label_of.get(u, u) for u in held])), "station": s}
            for (s, held), pols in grouped.items()]


# ---------------------------------------------------------------------------------------
# Results in memory, as a loaded folder


def results_data(results, run_info: dict | None = None) -> dict:
    """What :func:`load_results` would read from the folder ``results`` is saved to, built in memory.

    ``results`` is a :class:`simulation.runner.Results`. The tables are its own (visits
    reduced to the columns the charts read, with text columns as text, as read from
    ``visits.csv``), ``scenario`` the resolved scenario as ``scenario.resolved.toml`` holds
    it, ``run_info`` as given (default: None). Nothing is written: charts can be drawn from it
    with :func:`simulation.charts.draw_chart`. The numbers are not rounded as the CSV files
    round them, so a chart's last digits may differ from the saved PNG's.
    """
    from .scenario import scenario_to_toml

    class _Loaded(dict):
        """A table a run folder lacks (sweep.csv, staffing.csv, ...) reads as None, as in :func:`load_results`."""

        def __missing__(self, key):
            return None

    scenario = tomllib.loads(scenario_to_toml(results.scenario))
    visits = results.chart_visits
    if visits is None:
        from .runner import chart_visits

        visits = chart_visits(results.visits)
    return _Loaded({
        "folder": None,
        "kind": "run",
        "scenario": scenario,
        "run_info": run_info,
        "summary": results.summary,
        "replications": results.replications,
        "comparison": results.comparison,
        "citizens": results.citizens,
        "sweep": None,
        "staffing": None,
        "visits": chart_visit_table(visits, scenario, results.summary),
    })
