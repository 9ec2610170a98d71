"""``report.html``: one self-contained page a planner can open, print or e-mail.

:func:`write_report` writes it into a results folder: the scenario in one paragraph, the
headline chart (is the service standard met?), the findings in plain words
(:func:`summary_sentences`, from ``comparison.csv``), the key tables, the other charts and
what produced the results. Charts are the folder's PNG files (drawn first if absent or in
another language), embedded as base64 ``data:`` URIs: the page needs no network and no
other file. Sweep and staffing folders get a shorter page around their one chart.

The page is rendered by Jinja2 from ``simulation/templates/report.html.j2`` with
autoescaping on: labels and descriptions from the scenario are always escaped.
"""

from __future__ import annotations

import base64
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import __version__, lead
from . import chart_data as cd
from .charts import (
    CHARTS,
    chart_names,
    charts_folder,
    charts_needing_absent_tables,
    charts_without_tables,
    days_text,
    empty_places_text,
    primary_lang,
    write_charts,
)
from .strings import (
    LANGS,
    check_lang,
    fmt_clock,
    fmt_minutes,
    fmt_number,
    fmt_pct,
    join_words,
    localized,
    t,
    weekday_name,
)

__all__ = ["default_lang", "describe_policy", "empty_desk_sentences", "render_report", "report_context",
           "summary_sentences", "write_report"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


def default_lang(folder: str | Path) -> str:
    """The scenario's top-level ``lang`` (from ``scenario.resolved.toml``) if Loket speaks it, else ``"en"``."""
    path = Path(folder) / "scenario.resolved.toml"
    try:
        lang = tomllib.loads(path.read_text(encoding="utf-8")).get("lang")
    except (OSError, tomllib.TOMLDecodeError):
        return "en"
    return lang if lang in LANGS else "en"


# ---------------------------------------------------------------------------------------
# Words


_join = join_words


def _count(x: float, lang: str) -> str:
    if x is None or not math.isfinite(float(x)):
        return "–"
    x = float(x)
    return fmt_number(x, 0 if abs(x) >= 10 or abs(x - round(x)) < 1e-9 else 1, lang)


def describe_policy(scenario: dict, policy: str, lang: str = "en") -> str:
    """A policy in words, from the resolved scenario: who is at home on which days, online channel, recall."""
    check_lang(lang)
    onsite = cd.policy_onsite_table(scenario, lang)
    rows = onsite[onsite.policy == policy]
    if not len(rows):
        return policy  # not a policy of this scenario: its name is all we know
    labels = cd.station_labels(scenario, lang)
    parts = []
    for row in rows.itertuples(index=False):
        at_home = list(row.at_home)
        for value in dict.fromkeys(x for x in at_home if x != 0):
            days = [i for i, x in enumerate(at_home) if x == value]
            when = "" if len(days) == len(at_home) else t(
                "policy_days", lang, days=_join([weekday_name(cd.WEEKDAYS[i], lang) for i in days], lang))
            if value > 0:
                parts.append(t("policy_part_home", lang, n=value, staff=row.staff, label=row.label, days=when))
            else:
                parts.append(t("policy_part_extra", lang, n=-value, label=row.label, days=when))
    spec = (scenario.get("policies") or {}).get(policy) or {}
    for station, channel in (spec.get("online") or {}).items():
        if isinstance(channel, dict) and channel.get("share"):
            parts.append(t("policy_part_online", lang, share=fmt_pct(channel["share"], lang),
                           label=labels.get(station, station)))
    for station, recall in (spec.get("recall") or {}).items():
        if isinstance(recall, dict) and recall.get("queue_at"):
            parts.append(t("policy_part_recall", lang, n=recall["queue_at"], label=labels.get(station, station)))
    return t("policy_desc", lang, policy=cd.policy_labels(scenario, lang).get(policy, policy),
             parts=_join(parts, lang) if parts else t("policy_everyone", lang))


def _late(share: float) -> float:
    return 1 - share if share is not None and math.isfinite(share) else np.nan


def summary_sentences(
    comparison: pd.DataFrame | None, summary: pd.DataFrame, lang: str = "en", scenario: dict | None = None
) -> list[str]:
    """The findings in plain words, from ``comparison.csv`` (and ``summary.csv`` for standards).

    Per policy against the baseline: all stations together (the paired difference of the
    mean wait over every counter visit, its 95 % CI, and the share of *citizens* whose
    business was done on the first trip within standard — the same people under every
    policy), then each station (per visit), then citizens never served. A difference is
    called a rise or a fall only when its interval excludes zero; with one replication no
    interval exists and the sentence says so instead of claiming anything. With
    ``scenario`` (the resolved scenario as a dict) a policy is described in words.
    """
    check_lang(lang)
    if comparison is None or not len(comparison):
        return []
    targets = dict(zip(summary["station"], summary["target_wait_minutes"]))
    days = (scenario or {}).get("run", {}).get("days")
    labels = cd.policy_labels(scenario)
    out = []
    for policy_id in dict.fromkeys(comparison["policy"]):
        rows = comparison[comparison.policy == policy_id]
        baseline_id = str(rows["baseline"].iloc[0])
        # Sentences name policies by their display label.
        policy, baseline = labels.get(policy_id, policy_id), labels.get(baseline_id, baseline_id)
        overall = rows[rows.station == "all"]
        if len(overall):
            r = overall.iloc[0]
            name = describe_policy(scenario, policy_id, lang) if scenario else policy
            out.append(t(_direction("sentence_all", r), lang, policy=name, baseline=baseline,
                         base=fmt_minutes(r.baseline_mean_wait_all, lang),
                         pol=fmt_minutes(r.policy_mean_wait_all, lang),
                         diff=fmt_minutes(r.diff_mean_wait_all, lang, sign=True),
                         lo=fmt_minutes(r.diff_mean_wait_all_ci_low, lang, sign=True),
                         hi=fmt_minutes(r.diff_mean_wait_all_ci_high, lang, sign=True),
                         done=fmt_pct(r.policy_first_trip_within_target_share, lang),
                         base_done=fmt_pct(r.baseline_first_trip_within_target_share, lang)))
        for r in rows[rows.station != "all"].itertuples(index=False):
            if _unchanged(r):
                continue  # a station the policy leaves exactly as it was: nothing to say
            if not math.isfinite(r.policy_mean_wait) and r.policy_not_served > 0:
                out.append(t("sentence_station_nobody", lang, label=r.label, policy=policy))
                continue
            key = _direction("sentence_station", r)
            signed = key != "sentence_station_rise"
            out.append(t(key, lang, label=r.label, policy=policy, baseline=baseline,
                         base=fmt_minutes(r.baseline_mean_wait_all, lang),
                         pol=fmt_minutes(r.policy_mean_wait_all, lang),
                         lo=fmt_minutes(r.diff_mean_wait_all_ci_low, lang, sign=signed),
                         hi=fmt_minutes(r.diff_mean_wait_all_ci_high, lang, sign=signed),
                         late=fmt_pct(_late(r.policy_within_target_share), lang),
                         base_late=fmt_pct(_late(r.baseline_within_target_share), lang),
                         target=_count(targets.get(r.station, np.nan), lang)))
        if len(overall):
            r = overall.iloc[0]
            people = [r.policy_never_served, r.baseline_never_served, r.policy_still_to_return,
                      r.baseline_still_to_return]
            if any(math.isfinite(x) and x > 0 for x in people):
                out.append(t("sentence_not_served", lang, policy=policy, baseline=baseline,
                             days=days if days else "?", n=_count(r.policy_never_served, lang),
                             base_n=_count(r.baseline_never_served, lang),
                             still=_count(r.policy_still_to_return, lang),
                             base_still=_count(r.baseline_still_to_return, lang)))
            if (r.policy_repeat_trips or 0) > 0 or (r.baseline_repeat_trips or 0) > 0:
                out.append(t("sentence_trips", lang, policy=policy, baseline=baseline,
                             trips=_count(r.policy_repeat_trips, lang),
                             base_trips=_count(r.baseline_repeat_trips, lang),
                             hours=_count(r.policy_citizen_hours_lost, lang),
                             base_hours=_count(r.baseline_citizen_hours_lost, lang)))
        shares = summary.loc[summary.policy == policy_id, "within_target_share"]
        if len(shares) and (shares >= cd.REQUIRED_SHARE - 1e-9).all():
            out.append(t("sentence_standard_met", lang, policy=policy, required=fmt_pct(cd.REQUIRED_SHARE, lang)))
    return out


def executive_summary(data: dict, lang: str = "en", folder: Path | None = None) -> list[str]:
    """The bullets under a run report's lead, for the top of the report and ``summary.md``.

    One short bullet for the baseline and one per policy (:func:`simulation.lead.run_bullets`:
    citizens never served in whole people over the period, the mean wait, the share done on
    the first trip within standard, the hardest-hit desk where there are several); then the
    staffing advice if ``loket staff`` has been run beside this folder
    (``<folder>_staffing/staffing.csv``). Numbers only from ``comparison.csv`` and
    ``staffing.csv``, so the summary never says more than the tables.
    """
    check_lang(lang)
    scenario = data.get("scenario") or {}
    out = lead.run_bullets(data, lang)
    if not out:
        return out
    advice = _staffing_beside(folder, scenario)
    if advice is not None:
        advice = cd.in_language({"scenario": scenario, "staffing": advice}, lang)["staffing"]
        table = cd.staffing_table(advice)
        from .charts import finding_text

        out.append(t("exec_staffing", lang, finding=finding_text(table.attrs["finding"], lang)))
    return out


def _staffing_beside(folder: Path | None, scenario: dict) -> pd.DataFrame | None:
    """``staffing.csv`` of ``loket staff`` run on the same scenario, next to this results folder."""
    if folder is None:
        return None
    candidates = [folder.parent / f"{folder.name}_staffing", folder.parent / f"{scenario.get('name', '')}_staffing"]
    for path in candidates:
        try:
            table = pd.read_csv(path / "staffing.csv", dtype={"station": str, "label": str, "weekday": str})
        except (OSError, ValueError):
            continue
        if {"station", "weekday", "recommended_onsite", "staff"} <= set(table.columns):
            return table
    return None


def assumptions(folder: Path, data: dict, lang: str = "en") -> dict:
    """What the numbers rest on: every figure the scenario marks as an estimate, with its
    note, the replications, and what the model leaves out.

    The estimates are the notes of ``scenario.resolved.toml`` that mark one (its ``[notes]``
    and ``[notes_id]``, see :mod:`simulation.notes`), so a run from that file lists them too; a
    folder written before the notes were kept there has them read from the comments of
    ``scenario.toml``, the input file as the planner wrote it. Each is one line in ``lang``:
    the figure in words (:func:`simulation.figure_words.figure_in_words`), then its note in
    ``lang`` (``text``); ``key`` and ``value`` say where it is in the file.
    """
    from .figure_words import figure_in_words
    from .notes import NOTE_TABLES, comment_notes
    from .notes import estimates as marked

    resolved = data.get("scenario") or {}
    source = Path(folder) / "scenario.toml"
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        text = None
    if "notes" in resolved or "notes_id" in resolved:
        estimates = marked(resolved, lang)
    elif text is not None:
        estimates = marked({**resolved, "notes": comment_notes(text)}, lang)
    else:
        estimates = []
    for e in estimates:
        e["text"] = t("fig_estimate", lang, figure=figure_in_words(resolved, e["key"], lang),
                      note=_note_text(e["comment"]))
    text = text if text is not None or not any(k in resolved for k in NOTE_TABLES.values()) else ""
    scenario = data.get("scenario") or {}
    return {
        "estimates": estimates,
        "source_saved": text is not None,
        "replications": t("assumptions_replications", lang,
                          replications=scenario.get("run", {}).get("replications", "?"),
                          days=scenario.get("run", {}).get("days", "?")),
        "left_out": [t(f"assumptions_left_out_{i}", lang) for i in range(1, 6)],
    }


def _note_text(note: str) -> str:
    """A note as a reader sees it: one written wholly in brackets, "(estimate, §7.1)", without them."""
    note = note.strip()
    if note.startswith("(") and note.endswith(")") and note.count("(") == 1 and note.count(")") == 1:
        return note[1:-1].strip()
    return note


def _unchanged(row) -> bool:
    """The same numbers in every replication (common random numbers): the policy did not touch the station."""
    pairs = [(row.baseline_mean_wait_all, row.policy_mean_wait_all),
             (row.baseline_within_target_share, row.policy_within_target_share),
             (row.baseline_not_served, row.policy_not_served)]
    spread = [x for x in (row.diff_mean_wait_all_ci_low, row.diff_mean_wait_all_ci_high) if x == x]
    return all(a == b or (a != a and b != b) for a, b in pairs) and all(x == 0 for x in spread)


def _direction(prefix: str, row) -> str:
    """Which sentence: a rise or fall (the interval excludes zero), no detectable change, or no interval at all."""
    low, high, diff = row.diff_mean_wait_all_ci_low, row.diff_mean_wait_all_ci_high, row.diff_mean_wait_all
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{prefix}_noci"
    if low > 0 or high < 0:
        return f"{prefix}_rise" if diff > 0 else f"{prefix}_fall"
    return f"{prefix}_same"


# ---------------------------------------------------------------------------------------
# Tables


def _with_interval(m, lo, hi, fmt, lang) -> str:
    """``value (lo–hi)`` in ``fmt``; the value alone where there is no interval (one replication); "–" without one."""
    if not math.isfinite(m):
        return "–"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return fmt(m, lang)
    return t("value_ci", lang, value=fmt(m, lang), lo=fmt(lo, lang), hi=fmt(hi, lang))


def _ci_minutes(m, lo, hi, lang) -> str:
    return _with_interval(m, lo, hi, fmt_minutes, lang)


def _ci_pct(m, lo, hi, lang) -> str:
    return _with_interval(m, max(lo, 0.0), min(hi, 1.0), fmt_pct, lang)  # a share's interval stays in 0..1


def _ci_count(m, lo, hi, lang) -> str:
    return _with_interval(m, lo, hi, _count, lang)


def _policy_name(policy: str, baseline: str | None, lang: str, labels: dict | None = None) -> str:
    name = (labels or {}).get(policy, policy)
    return t("baseline_suffix", lang, policy=name) if policy == baseline else name


def _table(caption: str, header: list[str], rows: list[list[str]], text_cols: int = 2) -> dict:
    return {"caption": caption, "header": header, "rows": rows, "text_cols": text_cols}


_CI_IN_HEADER = re.compile(r"\s*\((95 % CI|selang kepercayaan 95%)\)")


def _without_intervals(table: dict) -> dict:
    """The table's header without "(95 % CI)": with one replication no interval exists to claim."""
    return {**table, "header": [_CI_IN_HEADER.sub("", h) for h in table["header"]]}


def _policies_table(scenario: dict, lang: str) -> dict:
    labels = cd.policy_labels(scenario, lang)
    onsite = cd.policy_onsite_table(scenario, lang)
    baseline = onsite["policy"].iloc[0] if len(onsite) else None
    header = [t("col_policy", lang), t("col_station", lang), t("col_staff", lang)]
    header += [weekday_name(w, lang) for w in cd.WEEKDAYS]
    rows = [[_policy_name(r.policy, baseline, lang, labels), r.label, str(r.staff), *[str(x) for x in r.onsite]]
            for r in onsite.itertuples(index=False)]
    return _table(t("report_policies_caption", lang), header, rows)


def _officers_by_hour_table(scenario: dict, lang: str, policies: list[str] | None = None) -> dict | None:
    """Officers at the counter by hour (:func:`simulation.chart_data.officers_by_hour_rows`): the
    per-weekday table's numbers as the simulation applies them, hour by hour; hours with nobody
    at the counter are marked ``empty`` (red on the page), fewer than the baseline ``fewer``."""
    rows = cd.officers_by_hour_rows(cd.officers_by_hour_table(scenario, policies))
    if not len(rows):
        return None
    labels = cd.policy_labels(scenario)
    baseline = rows.attrs["policies"][0]
    hours = rows.attrs["hours"]
    header = [t("col_policy", lang), t("col_station", lang), t("col_days", lang)]
    header += [fmt_clock(h, lang) for h in hours]
    body, classes = [], []
    for r in rows.itertuples(index=False):
        cells = ["" if s == "closed" else "–" if s == "break" else str(n) for n, s in zip(r.onsite, r.state)]
        body.append([_policy_name(r.policy, baseline, lang, labels), r.label, days_text(r.days, lang), *cells])
        classes.append(["", "", "", *[s if s in ("empty", "fewer", "break") else "" for s in r.state]])
    return {**_table(t("report_obh_caption", lang), header, body, text_cols=3), "classes": classes}


def empty_desk_sentences(scenario: dict | None, lang: str = "en", policies: list[str] | None = None) -> dict[str, str]:
    """Each policy that leaves a desk with nobody at the counter in some open hour, in one sentence.

    ``{policy: sentence}`` in scenario order (``policies``: only these, e.g. those a run
    simulated), from the resolved scenario alone (:func:`simulation.chart_data.officers_by_hour_table`,
    the simulation's own staffing plan): which desk, on which weekdays and hours, and why —
    the roster's officers then are all at home, or nobody is rostered. A policy whose
    per-weekday numbers look like another's can still differ here: shares and officers at home
    apply to each hour's roster. Policies that keep someone at every counter are not named.
    """
    check_lang(lang)
    if not scenario:
        return {}
    table = cd.officers_by_hour_table(scenario, policies, lang)
    labels = cd.policy_labels(scenario, lang)
    return {policy: t("empty_desk_sentence", lang, policy=labels.get(policy, policy),
                      places=empty_places_text(entries, lang, reasons=True))
            for policy, entries in cd.empty_desks(table).items()}


def _summary_table(summary: pd.DataFrame, lang: str, labels: dict | None = None) -> dict:
    baseline = summary["policy"].iloc[0]
    header = [t(k, lang) for k in ("col_policy", "col_station", "col_arrived", "col_mean_wait_all", "col_mean_wait",
                                   "col_p90_wait", "col_within", "col_utilisation", "col_not_served")]
    rows = []
    for r in summary.itertuples(index=False):
        rows.append([
            _policy_name(r.policy, baseline, lang, labels), r.label, _count(r.arrived, lang),
            _ci_minutes(r.mean_wait_all, r.mean_wait_all_ci_low, r.mean_wait_all_ci_high, lang),
            _ci_minutes(r.mean_wait, r.mean_wait_ci_low, r.mean_wait_ci_high, lang), fmt_minutes(r.p90_wait, lang),
            _ci_pct(r.within_target_share, r.within_target_share_ci_low, r.within_target_share_ci_high, lang),
            fmt_pct(r.utilization, lang), _count(r.not_served, lang),
        ])
    return _table(t("report_summary_caption", lang), header, rows)


def _citizens_table(citizens: pd.DataFrame, lang: str, labels: dict | None = None) -> dict:
    """``citizens.csv``: what became of the people who came, per policy (the same people under every policy)."""
    baseline = citizens["policy"].iloc[0]
    header = [t(k, lang) for k in ("col_policy", "col_citizens", "col_served_first_trip", "col_served_later_trip",
                                   "col_never_served", "col_still_to_return", "col_first_trip_within")]
    rows = []
    for r in citizens.itertuples(index=False):
        rows.append([
            _policy_name(r.policy, baseline, lang, labels), _count(r.citizens, lang),
            _count(r.served_first_trip, lang), _count(r.served_later_trip, lang), _count(r.never_served, lang),
            _count(r.still_to_return, lang),
            _ci_pct(r.first_trip_within_target_share, r.first_trip_within_target_share_ci_low,
                    r.first_trip_within_target_share_ci_high, lang),
        ])
    return _table(t("report_citizens_caption", lang), header, rows, text_cols=1)


def _comparison_table(comparison: pd.DataFrame, lang: str, labels: dict | None = None) -> dict:
    header = [t(k, lang) for k in ("col_policy", "col_station", "col_mean_wait_change", "col_diff", "col_p90_change",
                                   "col_within_change", "col_not_served_change")]
    rows = []

    def arrow(a: str, b: str) -> str:
        return t("arrow", lang, a=a, b=b)

    for r in comparison.itertuples(index=False):
        diff = fmt_minutes(r.diff_mean_wait_all, lang, sign=True)
        if math.isfinite(r.diff_mean_wait_all_ci_low) and math.isfinite(r.diff_mean_wait_all_ci_high):
            diff = t("diff_ci", lang, value=diff, lo=fmt_minutes(r.diff_mean_wait_all_ci_low, lang, sign=True),
                     hi=fmt_minutes(r.diff_mean_wait_all_ci_high, lang, sign=True))
        rows.append([
            (labels or {}).get(r.policy, r.policy), t("all_stations", lang) if r.station == "all" else r.label,
            arrow(fmt_minutes(r.baseline_mean_wait_all, lang), fmt_minutes(r.policy_mean_wait_all, lang)), diff,
            arrow(fmt_minutes(r.baseline_p90_wait, lang), fmt_minutes(r.policy_p90_wait, lang)),
            arrow(fmt_pct(r.baseline_within_target_share, lang), fmt_pct(r.policy_within_target_share, lang)),
            arrow(_count(r.baseline_not_served, lang), _count(r.policy_not_served, lang)),
        ])
    return _table(t("report_comparison_caption", lang), header, rows)


def _sweep_table(sweep: pd.DataFrame, lang: str) -> dict:
    header = [t(k, lang) for k in ("col_wfh_share", "col_station", "col_onsite", "col_wait_changes", "col_p90_wait",
                                   "col_within", "col_not_served")]
    rows = []
    for r in sweep.itertuples(index=False):
        rows.append([
            fmt_pct(r.wfh_share, lang), r.label, f"{int(r.onsite)} / {int(r.staff)}",
            _ci_minutes(r.mean_wait, r.mean_wait_ci_low, r.mean_wait_ci_high, lang), fmt_minutes(r.p90_wait, lang),
            _ci_pct(r.within_target_share, r.within_target_share_ci_low, r.within_target_share_ci_high, lang),
            _count(r.not_served, lang),
        ])
    return _table(t("report_sweep_caption", lang), header, rows)


def _city_table(city: pd.DataFrame, offices: dict, lang: str) -> dict:
    """``city.csv`` per week: each office and policy, standard policies in the reader's language."""
    from .charts import standard_policy_label

    weeks = cd.city_weeks(city)
    header = [t(k, lang) for k in ("col_office", "col_policy_city", "col_hypothetical", "col_never_served_week",
                                   "col_never_served_week_extra", "col_extra_hours_week", "col_first_trip")]
    rows = []
    for r, w in zip(city.itertuples(index=False), weeks):
        label = standard_policy_label(r.policy, lang) if r.policy in cd.CITY_STANDARD else r.label
        base = r.policy == "full_office"
        rows.append([offices.get(r.office, r.office), label, t("yes", lang) if r.hypothetical else "",
                     _count(r.never_served / w, lang),
                     "" if base else _ci_count(r.extra_never_served / w, r.extra_never_served_ci_low / w,
                                               r.extra_never_served_ci_high / w, lang),
                     "" if base else _ci_count(r.extra_citizen_hours_lost / w, r.extra_citizen_hours_lost_ci_low / w,
                                               r.extra_citizen_hours_lost_ci_high / w, lang),
                     _ci_pct(r.first_trip_within_target_share, r.first_trip_within_target_share_ci_low,
                             r.first_trip_within_target_share_ci_high, lang)])
    return _table(t("report_city_caption", lang), header, rows, text_cols=3)


def _city_staffing_table(staffing: pd.DataFrame, offices: dict, lang: str) -> dict:
    days = cd.city_officer_days(staffing)
    header = [t(k, lang) for k in ("col_office", "col_officer_days", "col_could_be_home")]
    rows = [[offices.get(r.office, r.office), _count(r.officer_days, lang), _count(r.may_wfh_days, lang)]
            for r in days.itertuples(index=False)]
    return _table(t("report_staffing_city_caption", lang), header, rows, text_cols=1)


def city_sentences(city: pd.DataFrame, staffing: pd.DataFrame, offices: dict, lang: str) -> list[str]:
    """The city report's executive summary: what keeping everyone at the counter protects, per
    standard policy, city-wide per week with 95 % intervals, and how totals are combined."""
    from .charts import standard_policy_label

    days = cd.city_officer_days(staffing)
    out = [t("city_lead", lang, may=_count(days["may_wfh_days"].sum(), lang),
             total=_count(days["officer_days"].sum(), lang),
             offices="; ".join(f"{offices.get(r.office, r.office)} {_count(r.may_wfh_days, lang)}/"
                               f"{_count(r.officer_days, lang)}" for r in days.itertuples(index=False)))]
    for h in cd.city_headline(city).itertuples(index=False):
        policy = standard_policy_label(h.policy, lang)
        out.append(t("city_sentence", lang, policy=policy, hours=_count(h.extra_citizen_hours_per_week, lang),
                     ci=_ci_range(h.extra_citizen_hours_per_week_ci_low, h.extra_citizen_hours_per_week_ci_high, lang),
                     # People in whole numbers: "8 citizens a week", not "7.8" (the tables keep the means).
                     never=_count(round(h.extra_never_served_per_week), lang),
                     never_ci=_ci_range(_floor(h.extra_never_served_per_week_ci_low),
                                        _ceil(h.extra_never_served_per_week_ci_high), lang),
                     base=_count(round(h.baseline_never_served_per_week), lang)))
        if h.missing:
            missing = ", ".join(offices.get(o, o) for o in h.missing.split(", "))
            out.append(t("city_sentence_missing", lang, policy=policy, missing=missing))
    out.append(t("city_how_combined", lang))
    return out


def _floor(x: float) -> float:
    """Whole people at the low end of an interval: rounded down, so the interval never shrinks."""
    return float(math.floor(x)) if math.isfinite(x) else x


def _ceil(x: float) -> float:
    return float(math.ceil(x)) if math.isfinite(x) else x


def _ci_range(lo, hi, lang) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return t("no_interval", lang)
    return t("ci_range", lang, lo=_count(lo, lang), hi=_count(hi, lang))


def _city_provenance(city: pd.DataFrame, staffing: pd.DataFrame, offices: dict, lang: str) -> list[str]:
    advice_reps = staffing.groupby("office", sort=False)["replications"].first()
    return [t("city_office_seed", lang, office=offices.get(r.office, r.office), seed=int(r.seed),
              days=int(r.days_simulated), weeks=_count(r.days_simulated / r.open_days_per_week, lang),
              reps=int(r.replications), advice_reps=int(advice_reps.get(r.office, r.replications)))
            for r in city.drop_duplicates("office").itertuples(index=False)]


def _staffing_table(staffing: pd.DataFrame, lang: str) -> dict:
    header = [t(k, lang) for k in ("col_station", "col_weekday", "col_staff", "col_recommended", "col_may_wfh",
                                   "col_within_at_level")]
    rows = []
    for r in staffing.itertuples(index=False):
        rows.append([
            r.label, weekday_name(r.weekday, lang, long=True), str(int(r.staff)), _count(r.recommended_onsite, lang),
            _count(r.may_work_from_home, lang),
            _ci_pct(r.within_target_share, r.within_target_share_ci_low, r.within_target_share_ci_high, lang),
        ])
    return _table(t("report_staffing_caption", lang), header, rows)


# ---------------------------------------------------------------------------------------
# The page


def _png_text(path: Path) -> dict:
    from PIL import Image

    with Image.open(path) as im:
        return dict(getattr(im, "text", {}) or {})


def charts_left_out(folder: Path, data: dict, lang: str) -> list[str]:
    """Charts a run folder should show but can neither draw from its tables (the per-visit
    table of a ``--no-visits`` run is absent) nor find already drawn in ``lang``."""
    where = charts_folder(Path(folder), lang)
    return [n for n in charts_without_tables(data)
            if not ((where / f"{n}.png").exists() and _png_text(where / f"{n}.png").get("Language") == lang)]


def _charts(folder: Path, data: dict, lang: str) -> dict[str, dict]:
    """The folder's charts in ``lang`` (drawn first if absent), as data URIs."""
    names = chart_names(data)
    where = charts_folder(folder, lang)
    paths = {n: where / f"{n}.png" for n in names}
    if any(not p.exists() or _png_text(p).get("Language") != lang for p in paths.values()):
        write_charts(folder, lang, data=data)
    # Charts the tables cannot give (the visit charts of a --no-visits folder) but which were
    # drawn in this language when the folder was written: shown as they are.
    for name in charts_needing_absent_tables(data):
        path = where / f"{name}.png"
        if path.exists() and _png_text(path).get("Language") == lang:
            paths[name] = path
    paths = {n: paths[n] for n in CHARTS if n in paths}  # report order
    out = {}
    for name, path in paths.items():
        raw = path.read_bytes()
        out[name] = {
            "name": name,
            "src": "data:image/png;base64," + base64.b64encode(raw).decode("ascii"),
            "alt": _png_text(path).get("Title", name),
        }
    return out


def _scenario_paragraph(scenario: dict | None, run_info: dict | None, kind: str, lang: str) -> str:
    """The scenario in one paragraph: description, office hours, replications, stations (and policies of a run)."""
    if not scenario:
        return ""
    run = cd.run_settings(scenario)
    labels = cd.station_labels(scenario, lang)
    stations = [t("report_station", lang, label=labels.get(st["name"], st["name"]), staff=st["staff"],
                  target=_count(st.get("target_wait_minutes", 30.0), lang)) for st in scenario.get("stations", [])]
    description = localized(scenario, "description", lang)
    text = t("report_scenario", lang, description=description.strip(), days=run["days"],
             weekday=weekday_name(cd.WEEKDAYS[run["start_weekday"]], lang, long=True),
             open=fmt_clock(run["open_minute"], lang),
             close=fmt_clock(run["close_minute"], lang), replications=scenario.get("run", {}).get("replications", "?"),
             seed=scenario.get("run", {}).get("seed", "?"), stations="; ".join(stations)).strip()
    if kind == "run":
        policies = list((scenario.get("policies") or {"baseline": {}}).keys())
        chosen = (run_info or {}).get("policies")
        if chosen:
            policies = [p for p in policies if p in chosen]
        if len(policies) > 1:
            labels = cd.policy_labels(scenario, lang)
            names = [labels.get(p, p) for p in policies]
            text += " " + t("report_policies_compared", lang, policies=", ".join(names), baseline=names[0])
    return text


def _provenance(data: dict, lang: str) -> str:
    info = data.get("run_info") or {}
    run = (data.get("scenario") or {}).get("run", {})
    # Nothing that changes from run to run (times, command line): the same scenario and seed
    # give a byte-identical report.
    return t("report_provenance", lang, version=info.get("loket_version", __version__),
             seed=info.get("seed", run.get("seed", "?")),
             replications=info.get("replications", run.get("replications", "?")),
             days=run.get("days", "?"))


def report_context(folder: str | Path, lang: str = "en", data: dict | None = None) -> dict:
    """Everything the template shows, as plain strings and lists (charts drawn if needed).

    ``data``: the folder as :func:`simulation.chart_data.load_results` reads it, if already at hand.
    """
    check_lang(lang)
    folder = Path(folder)
    # Every label and the description in the report's language, from here on.
    data = cd.in_language(cd.load_results(folder) if data is None else data, lang)
    scenario = data.get("scenario")
    charts = _charts(folder, data, lang)
    ctx = {
        "lang": lang,
        "kind": data["kind"],
        "s": {key: value for key, value in _strings(lang).items()},
        "title": lead.report_title(data["kind"], scenario, data.get("run_info"), folder, lang),
        "lead": None,
        "scenario_paragraph": _scenario_paragraph(scenario, data.get("run_info"), data["kind"], lang),
        "provenance": _provenance(data, lang),
        "sentences": [],
        "executive": [],
        "assumptions": None,
        "tables": [],
        "headline": None,
        "charts": [],
        "charts_note": None,
    }
    replications = int((data.get("run_info") or {}).get("replications") or
                       (scenario or {}).get("run", {}).get("replications") or 0)
    if data["kind"] == "run":
        ctx["headline"] = charts.pop("standard_met", None)
        ctx["sentences"] = summary_sentences(data.get("comparison"), data["summary"], lang, scenario)
        headline = [ctx["headline"]["alt"]] if ctx["headline"] else []
        ctx["lead"] = lead.run_lead(data, lang)
        ctx["executive"] = executive_summary(data, lang, folder) or ([] if ctx["lead"] else headline)
        ctx["assumptions"] = assumptions(folder, data, lang)
        simulated = list(dict.fromkeys(data["summary"]["policy"]))
        if scenario:
            ctx["tables"].append(_policies_table(scenario, lang))
            by_hour = _officers_by_hour_table(scenario, lang, simulated)
            if by_hour is not None:
                ctx["tables"].append(by_hour)
        if data.get("citizens") is not None and len(data["citizens"]):
            ctx["tables"].append(_citizens_table(data["citizens"], lang, cd.policy_labels(scenario)))
        ctx["tables"].append(_summary_table(data["summary"], lang, cd.policy_labels(scenario)))
        if data.get("comparison") is not None and len(data["comparison"]):
            ctx["tables"].append(_comparison_table(data["comparison"], lang, cd.policy_labels(scenario)))
        ctx["charts"] = list(charts.values())
        missing = charts_left_out(folder, data, lang)
        if missing:
            ctx["charts_note"] = t("report_charts_need_visits", lang, charts=", ".join(f"{n}.png" for n in missing),
                                   flag="--no-visits")
        if replications == 1:
            ctx["tables"] = [_without_intervals(tb) for tb in ctx["tables"]]
            ctx["executive"].insert(0, t("report_one_replication", lang))
    elif data["kind"] == "sweep":
        ctx["headline"] = charts.pop("sweep", None)
        ctx["sentences"] = [ctx["headline"]["alt"]] if ctx["headline"] else []
        curves = cd.sweep_curve_table(data["sweep"], swept=((data.get("run_info") or {}).get("sweep") or {})
                                      .get("stations"), scenario=scenario)
        from .charts import finding_text

        notes = [finding_text(n["finding"], lang) for n in curves.attrs.get("notes", [])]
        ctx["sentences"] += notes
        ctx["lead"] = lead.sweep_lead(curves, lang)
        ctx["executive"] = lead.sweep_bullets(curves, lang) + notes
        ctx["tables"].append(_sweep_table(data["sweep"], lang))
    elif data["kind"] == "city":
        info = data.get("run_info") or {}
        offices = info.get("offices") or {}
        ctx["headline"] = charts.pop("city", None)
        ctx["title"] = (t("city_report_title", lang, city=info["city"], n=_count(len(offices), lang))
                        if info.get("city") else t("city_report_title_generic", lang,
                                                   n=_count(data["city"]["office"].nunique(), lang)))
        ctx["lead"], *ctx["executive"] = city_sentences(data["city"], data["city_staffing"], offices, lang)
        ctx["sentences"] = [ctx["headline"]["alt"]] if ctx["headline"] else []
        ctx["provenance"] = " ".join(_city_provenance(data["city"], data["city_staffing"], offices, lang))
        ctx["scenario_paragraph"] = None
        ctx["tables"].append(_city_table(data["city"], offices, lang))
        ctx["tables"].append(_city_staffing_table(data["city_staffing"], offices, lang))
    else:
        ctx["headline"] = charts.pop("staffing", None)
        ctx["sentences"] = [ctx["headline"]["alt"]] if ctx["headline"] else []
        ctx["sentences"] += lead.staffing_notes(data["staffing"], lang)
        ctx["lead"] = lead.staffing_lead(data["staffing"], lang)
        ctx["executive"] = lead.staffing_bullets(data["staffing"], lang)
        ctx["tables"].append(_staffing_table(data["staffing"], lang))
    return ctx


def _strings(lang: str) -> dict:
    keys = ["report_scenario_heading", "report_headline_heading", "report_findings_heading", "report_no_comparison",
            "report_tables_heading", "report_charts_heading", "report_sweep_heading", "report_staffing_heading",
            "report_city_heading",
            "report_provenance_heading", "report_definitions", "report_executive_heading",
            "report_assumptions_heading", "assumptions_estimates_intro", "assumptions_no_estimates",
            "assumptions_no_source", "assumptions_left_out_heading"]
    return {k: t(k, lang) for k in keys}


def render_report(folder: str | Path, lang: str = "en") -> str:
    """The report page as a string (see :func:`write_report`)."""
    return _render(report_context(folder, lang))


def _render(ctx: dict) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template(TEMPLATE).render(**ctx)


def summary_markdown(ctx: dict) -> str:
    """The executive summary as Markdown (``summary.md``): title, the lead (the decision in a
    sentence or two), the bullets under it, the key findings."""
    lines = [f"# {ctx['title']}", ""]
    if ctx.get("lead") or ctx.get("executive"):
        lines += [f"## {ctx['s']['report_executive_heading']}", ""]
        if ctx.get("lead"):
            lines += [ctx["lead"], ""]
        if ctx.get("executive"):
            lines += [f"- {x}" for x in ctx["executive"]] + [""]
    if ctx.get("sentences"):
        lines += [f"## {ctx['s']['report_findings_heading']}", ""]
        lines += [f"- {x}" for x in ctx["sentences"]] + [""]
    lines += [ctx["provenance"], ""]
    return "\n".join(lines)


def report_name(folder: Path, lang: str, suffix: str = "html") -> str:
    """``report.html`` in the folder's own language, ``report.<lang>.html`` in any other
    (``summary.md`` / ``summary.<lang>.md`` likewise)."""
    stem = "report" if suffix == "html" else "summary"
    own = primary_lang(folder)
    return f"{stem}.{suffix}" if own is None or own == lang else f"{stem}.{lang}.{suffix}"


def write_report(folder: Path, lang: str = "en", data: dict | None = None) -> Path:
    """Write the report in ``lang`` into the results ``folder`` (run, sweep or staffing) and return its path.

    ``report.html`` (and ``summary.md``, the executive summary as text to paste into a letter)
    in the folder's own language, ``report.<lang>.html`` and ``summary.<lang>.md`` in another,
    with that language's charts in ``charts/<lang>/``: languages live side by side, nothing
    of another language is overwritten. Reads only the folder's files — nothing is simulated.
    """
    folder = Path(folder)
    ctx = report_context(folder, lang, data)
    html = _render(ctx)
    path = folder / report_name(folder, lang)
    path.write_text(html, encoding="utf-8")
    (folder / report_name(folder, lang, "md")).write_text(summary_markdown(ctx), encoding="utf-8")
    return path
