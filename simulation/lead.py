"""What a reader meets first: a report's title, its lead and one short bullet per policy or desk.

A mayor gives a report ten seconds. In that time the page must say which office it is about,
what kind of answer it gives, and the answer itself:

* the **title** names the office (the scenario's ``office``, and its ``city``) and the kind
  of report — policies compared (``loket run``), staffing advice (``loket staff``), or waits
  as more officers work from home (``loket sweep``) — in the report's language;
* the **lead**, one or two sentences, answers the decision in whole people over the period
  simulated, said in words ("in two weeks");
* then at most **one short bullet per policy** (or per desk, for staffing advice and sweeps),
  the baseline's numbers said once instead of in every bullet.

Every number comes from the folder's tables (``comparison.csv``, ``staffing.csv``,
``sweep.csv``), so the lead never says more than they do. People are counted in whole numbers,
rounded half up (:func:`whole`): a mean of 4.8 citizens never served reads "5 citizens".
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import chart_data as cd
from .strings import STRINGS, fmt_minutes, fmt_number, fmt_pct, join_words, t, weekday_name

__all__ = ["office_name", "per_period", "period", "report_title", "run_bullets", "run_lead", "staffing_bullets",
           "staffing_lead", "staffing_notes", "sweep_bullets", "sweep_lead", "whole", "worst_policy"]


# ---------------------------------------------------------------------------------------
# Title


def office_name(scenario: dict | None, run_info: dict | None = None, folder: str | Path | None = None,
                lang: str = "en") -> str:
    """How the report names the office: the scenario's ``office`` (with its ``city``, "Kelurahan,
    Kota Bengkulu"), else its name with spaces for underscores (as
    :attr:`simulation.scenario.Scenario.office_name`), else the stem of the scenario file, else
    the folder's name."""
    scenario = scenario or {}
    info = run_info or {}
    stem = Path(str(info.get("scenario_file") or "")).stem
    name = (scenario.get("office") or str(scenario.get("name") or info.get("scenario") or stem or "").replace("_", " ")
            or (Path(folder).name if folder is not None else ""))
    city = scenario.get("city")
    return t("title_office_city", lang, office=name, city=city) if city and city != name else name


def report_title(kind: str, scenario: dict | None, run_info: dict | None, folder: str | Path | None,
                 lang: str) -> str:
    """The title of a run, staffing or sweep report: the office and the kind of report, in ``lang``."""
    key = {"staffing": "title_staffing", "sweep": "title_sweep"}.get(kind, "title_run")
    return t(key, lang, office=office_name(scenario, run_info, folder, lang))


# ---------------------------------------------------------------------------------------
# Whole people over a period said in words


def whole(x: float) -> int | None:
    """A mean number of people as a whole number, rounded half up (4.5 -> 5); None if unknown."""
    if x is None or not math.isfinite(float(x)):
        return None
    return int(math.floor(float(x) + 0.5))


def _days_and_week(scenario: dict | None) -> tuple[int | None, int]:
    """Working days simulated (``[run] days``) and the office's open days a week (5 without a calendar)."""
    scenario = scenario or {}
    days = scenario.get("run", {}).get("days")
    open_days = (scenario.get("calendar") or {}).get("open_days") or ()
    return (int(days) if days else None), (len(open_days) or 5)


def period(scenario: dict | None, lang: str) -> str:
    """The simulated period in words: "in two weeks" when the working days simulated make whole
    weeks of the office's open days, else "in 7 working days"."""
    days, week = _days_and_week(scenario)
    if not days:
        return t("period_days", lang, days="?")
    if days % week == 0:
        weeks = days // week
        if weeks == 1:
            return t("period_one_week", lang)
        word = f"num_{weeks}"
        return t("period_weeks", lang, weeks=t(word, lang) if word in STRINGS[lang] else fmt_number(weeks, 0, lang))
    return t("period_one_day", lang) if days == 1 else t("period_days", lang, days=days)


def per_period(days: int | None, lang: str = "en") -> str:
    """"per 10 working days": what a count "per period" of the tables is per."""
    return t("per_period_days", lang, days=days if days else "?")


def _people(n: int | None, lang: str) -> str:
    if n is None:
        return t("people_many", lang, n="–")
    return t("people_one" if n == 1 else "people_many", lang, n=fmt_number(n, 0, lang))


def _labels(scenario: dict | None, lang: str) -> dict[str, str]:
    """Each policy's display label in the reader's language (also on data not passed through
    :func:`simulation.chart_data.in_language`)."""
    return cd.policy_labels(scenario, lang)


# ---------------------------------------------------------------------------------------
# Run reports (loket run)


def worst_policy(comparison: pd.DataFrame | None) -> str | None:
    """The policy the lead sets against the baseline: the one that leaves the most citizens
    never served (``policy_never_served`` of ``comparison.csv``'s all-stations row, in whole
    people as the lead says it); of equals, the one with the longer mean wait over every counter
    visit. (Where nobody is sent home, as at the puskesmas, the wait decides: 2.4 against 2.3
    people never served is no difference a reader is told.) None without a comparison."""
    if comparison is None or not len(comparison):
        return None
    overall = comparison[comparison["station"] == "all"]
    if not len(overall):
        return None
    never = [whole(x) for x in overall["policy_never_served"].astype(float)]
    never = [-np.inf if n is None else n for n in never]
    wait = overall["policy_mean_wait_all"].astype(float).fillna(-np.inf)
    order = sorted(range(len(overall)), key=lambda i: (-never[i], -wait.iloc[i]))
    return str(overall["policy"].iloc[order[0]])


def _wait_direction(row) -> str:
    """A rise or fall when the 95 % interval of the difference excludes zero; "same" when it does
    not; "noci" with one replication (no interval)."""
    low, high = row.diff_mean_wait_all_ci_low, row.diff_mean_wait_all_ci_high
    if not (math.isfinite(low) and math.isfinite(high)):
        return "noci"
    if low > 0:
        return "rise"
    if high < 0:
        return "fall"
    return "same"


def run_lead(data: dict, lang: str) -> str | None:
    """One sentence answering the decision (``comparison.csv``): citizens never served over the
    period under the baseline and under the worst policy (:func:`worst_policy`), and what that
    policy does to the mean wait over every counter visit. With one policy only: citizens never
    served and the share done on their first trip within standard (``citizens.csv``)."""
    scenario = data.get("scenario") or {}
    labels = _labels(scenario, lang)
    when = period(scenario, lang)
    comparison = data.get("comparison")
    worst = worst_policy(comparison)
    if worst is None:
        citizens = data.get("citizens")
        if citizens is None or not len(citizens):
            return None
        r = citizens.iloc[0]
        return t("lead_single", lang, policy=labels.get(r.policy, r.policy),
                 people=_people(whole(r.never_served), lang), period=when,
                 done=fmt_pct(r.first_trip_within_target_share, lang))
    r = comparison[(comparison["station"] == "all") & (comparison["policy"] == worst)].iloc[0]
    n = whole(r.policy_never_served)
    return t(f"lead_{_wait_direction(r)}", lang, baseline=labels.get(r.baseline, r.baseline),
             policy=labels.get(worst, worst), people=_people(whole(r.baseline_never_served), lang), period=when,
             n=fmt_number(n, 0, lang) if n is not None else "–",
             base=fmt_minutes(r.baseline_mean_wait_all, lang), pol=fmt_minutes(r.policy_mean_wait_all, lang))


def _policy_extra(policy: str, data: dict, lang: str) -> str | None:
    """One more short sentence for a policy's bullet, or None: what its numbers alone do not explain.

    Today: the hours the policy leaves a desk with nobody at the counter (shares and officers at
    home apply to each hour's roster, so two policies with the same per-weekday numbers can
    differ here), from the resolved scenario alone (:func:`simulation.chart_data.empty_desks`).
    """
    from .charts import empty_places_text  # charts import matplotlib: only when a report is written

    scenario = data.get("scenario")
    if not scenario:
        return None
    entries = cd.empty_desks(cd.officers_by_hour_table(scenario, [policy])).get(policy)
    return t("exec_policy_empty", lang, places=empty_places_text(entries, lang, reasons=True)) if entries else None


def run_bullets(data: dict, lang: str) -> list[str]:
    """One short bullet for the baseline, then one per policy (``comparison.csv``): citizens never
    served over the period (whole people), the mean wait over every counter visit, the share of
    citizens done on their first trip within standard; where the office has more than one desk,
    the desk whose mean wait rises most; then :func:`_policy_extra`."""
    comparison = data.get("comparison")
    if comparison is None or not len(comparison):
        return []
    scenario = data.get("scenario") or {}
    labels = _labels(scenario, lang)
    when = period(scenario, lang)
    overall = comparison[comparison["station"] == "all"]
    if not len(overall):
        return []
    first = overall.iloc[0]
    out = [t("exec_baseline", lang, policy=labels.get(first.baseline, first.baseline), period=when,
             people=_people(whole(first.baseline_never_served), lang),
             wait=fmt_minutes(first.baseline_mean_wait_all, lang),
             done=fmt_pct(first.baseline_first_trip_within_target_share, lang))]
    for r in overall.itertuples(index=False):
        text = t("exec_policy", lang, policy=labels.get(r.policy, r.policy), period=when,
                 people=_people(whole(r.policy_never_served), lang), wait=fmt_minutes(r.policy_mean_wait_all, lang),
                 done=fmt_pct(r.policy_first_trip_within_target_share, lang))
        desks = comparison[(comparison["policy"] == r.policy) & (comparison["station"] != "all")]
        rising = desks[np.isfinite(desks["diff_mean_wait_all"].astype(float))]
        if len(desks) > 1 and len(rising) and rising["diff_mean_wait_all"].max() > 0:
            d = rising.loc[rising["diff_mean_wait_all"].idxmax()]
            text += " " + t("exec_policy_desk", lang, label=d.label, base=fmt_minutes(d.baseline_mean_wait_all, lang),
                            pol=fmt_minutes(d.policy_mean_wait_all, lang))
        extra = _policy_extra(r.policy, data, lang)
        if extra:
            text += " " + extra
        out.append(text)
    return out


# ---------------------------------------------------------------------------------------
# Staffing advice (loket staff): every desk, every weekday


def _count(x: float, lang: str) -> str:
    return fmt_number(x, 0, lang) if math.isfinite(float(x)) else "–"


def _required(table: pd.DataFrame) -> float:
    if "required_share" in table and len(table):
        return float(table["required_share"].iloc[0])
    return cd.REQUIRED_SHARE


def _desk_day(row) -> tuple[str, int | None]:
    """What the advice says of one desk on one weekday, as (kind, officers):

    ``short`` (the standard needs more officers than the desk has), ``home`` (some may work from
    home), ``all`` (all needed at the counter), ``unreachable`` (out of reach at any staffing:
    the level from which more officers stop helping), ``undecided``, ``no_data``.
    """
    status = getattr(row, "status", "meets")
    status = "meets" if not isinstance(status, str) or not status else status
    if status == "meets":
        if row.recommended_onsite > row.staff:
            return "short", int(row.recommended_onsite)
        may = row.may_work_from_home
        return ("home", int(may)) if math.isfinite(may) and may > 0 else ("all", None)
    if status == "unreachable":
        level = row.recommended_onsite
        return "unreachable", int(level) if math.isfinite(level) else None
    return status, None


def _groups(rows: pd.DataFrame) -> list[tuple[tuple[str, int | None], pd.DataFrame]]:
    """A desk's weekdays grouped by what the advice says of them, in the order they first appear."""
    kinds = [_desk_day(r) for r in rows.itertuples(index=False)]
    out = []
    for kind in dict.fromkeys(kinds):
        out.append((kind, rows[[k == kind for k in kinds]]))
    return out


def _weekdays(days: pd.Series, lang: str) -> str:
    return join_words([weekday_name(d, lang) for d in days], lang)


def _on_days(group: pd.DataFrame, desk: pd.DataFrame, lang: str) -> str:
    if len(desk) > 1 and len(group) == len(desk):
        return t("staff_every_day", lang)
    return t("staff_on_days", lang, days=_weekdays(group["weekday"], lang))


def _desks(staffing: pd.DataFrame) -> list[pd.DataFrame]:
    return [staffing[staffing["station"] == s] for s in dict.fromkeys(staffing["station"])]


def staffing_lead(staffing: pd.DataFrame, lang: str) -> str:
    """The staffing advice in one to three sentences: officer-days a week that could be at home
    with every desk within standard (:func:`simulation.chart_data.may_wfh`, as the city report
    counts them), then every desk-day short of officers and every one where the standard is out
    of reach at any staffing."""
    out = [t("staff_lead", lang, may=_count(cd.may_wfh(staffing).sum(), lang),
             total=_count(staffing["staff"].sum(), lang), required=fmt_pct(_required(staffing), lang))]
    short, unreachable = [], []
    for desk in _desks(staffing):
        label = desk["label"].iloc[0] if "label" in desk else desk["station"].iloc[0]
        for (kind, n), group in _groups(desk):
            if kind == "short":
                short.append(t("staff_item_short", lang, label=label, days=_weekdays(group["weekday"], lang),
                               needed=n, staff=int(group["staff"].iloc[0])))
            elif kind == "unreachable":
                unreachable.append(t("staff_item", lang, label=label, days=_weekdays(group["weekday"], lang)))
    if short:
        out.append(t("staff_lead_short", lang, items="; ".join(short)))
    if unreachable:
        out.append(t("staff_lead_unreachable", lang, items="; ".join(unreachable)))
    return " ".join(out)


def staffing_bullets(staffing: pd.DataFrame, lang: str) -> list[str]:
    """One bullet per desk (``staffing.csv``), covering every weekday: how many may work from
    home and when, where all are needed, where the desk is short, where the standard is out of
    reach (with the share reached), and where there is no advice."""
    out = []
    for desk in _desks(staffing):
        label = desk["label"].iloc[0] if "label" in desk else desk["station"].iloc[0]
        parts = []
        for (kind, n), group in _groups(desk):
            days = _on_days(group, desk, lang)
            if kind == "home":
                parts.append(t("staff_part_home", lang, n=n, days=days))
            elif kind == "all":
                parts.append(t("staff_part_all_needed", lang, days=days))
            elif kind == "short":
                parts.append(t("staff_part_short", lang, needed=n, days=days))
            elif kind == "unreachable":
                shares = group["within_target_share"].astype(float)
                required = _required(staffing)
                low, high = (_pct_below(x, required, lang) for x in (shares.min(), shares.max()))
                share = low if low == high else t("range", lang, a=low, b=high)
                target = group["target_wait_minutes"].iloc[0] if "target_wait_minutes" in group else np.nan
                parts.append(t("staff_part_unreachable", lang, days=days, n=n if n is not None else "–", share=share,
                               target=_count(target, lang)))
            elif kind == "no_data":
                parts.append(t("staff_part_no_data", lang, days=days))
            else:
                parts.append(t("staff_part_undecided", lang, days=days))
        out.append(t("staff_desk", lang, label=label, staff=int(desk["staff"].iloc[0]), parts="; ".join(parts)))
    return out


def staffing_notes(staffing: pd.DataFrame, lang: str) -> list[str]:
    """``staffing.csv``'s notes (what a status rests on), each with the desk and weekdays it is
    about. The notes are written in English by :mod:`simulation.advice`; a report in another
    language leaves them out — its desk bullets (:func:`staffing_bullets`) say the same."""
    if lang != "en" or "note" not in staffing:
        return []
    out = []
    for desk in _desks(staffing):
        label = desk["label"].iloc[0] if "label" in desk else desk["station"].iloc[0]
        notes = desk["note"].astype(object).where(desk["note"].notna(), "").astype(str)
        for note in dict.fromkeys(n for n in notes if n):
            out.append(t("staff_note", lang, label=label, days=_weekdays(desk.loc[notes == note, "weekday"], lang),
                         note=note))
    return out


# ---------------------------------------------------------------------------------------
# Sweeps (loket sweep): every desk swept


def _pct_below(share: float, required: float, lang: str) -> str:
    """A share as a percentage; one decimal where a share below the standard would round up to
    it ("89.8 %", never "90 %" for a share that misses a 90 % standard)."""
    text = fmt_pct(share, lang)
    if math.isfinite(share) and share < required and round(100 * share) >= round(100 * required):
        text = t("pct", lang, value=fmt_number(math.floor(1000 * share) / 10, 1, lang))
    return text


def _sweep_groups(table: pd.DataFrame, required: float) -> list[dict]:
    """Per swept group (a desk, or desks sent home together): which share of its officers first
    breaks the standard at some desk, and where (see :func:`sweep_bullets`)."""
    out = []
    for group in dict.fromkeys(table["swept"]):
        rows = table[table["swept"] == group]
        names = group.split("+")
        shares = sorted(rows["wfh_share"].unique())
        ok = {s: bool((rows.loc[rows["wfh_share"] == s, "within_target_share"] >= required - 1e-9).all())
              for s in shares}
        bad = next((s for s in shares if not ok[s]), None)
        holds = shares[-1] if bad is None else max([s for s in shares if s < bad], default=None)
        if bad is not None and holds is not None and _nobody_home(rows, names, holds):
            holds = None  # e.g. 34 % of 2 officers rounds to nobody at home: no officer could go home
        out.append({"group": group, "names": names, "rows": rows, "shares": shares, "ok": ok, "bad": bad,
                    "holds": holds, "zero": shares[0] == 0})
    return out


def _nobody_home(rows: pd.DataFrame, names: list[str], share: float) -> bool:
    """At this share, rounding sends no officer of the swept desks home (``at_home`` of ``sweep.csv``)."""
    if "at_home" not in rows:
        return share == 0
    at = rows[(rows["wfh_share"] == share) & rows["station"].isin(names)]
    return bool(len(at)) and bool((at["at_home"] == 0).all())


def _sweep_share(g: dict, share: float, lang: str) -> str:
    """A share sent home, with "(1 of 3)" officers when one desk is swept."""
    if len(g["names"]) > 1:
        return fmt_pct(share, lang)
    rows = g["rows"]
    row = rows[(rows["wfh_share"] == share) & (rows["station"] == g["names"][0])]
    if not len(row) or "at_home" not in row:
        return fmt_pct(share, lang)
    r = row.iloc[0]
    return t("share_of_staff", lang, share=fmt_pct(share, lang), at_home=int(r.at_home), staff=int(r.staff))


def _sweep_labels(g: dict) -> list[str]:
    rows = g["rows"]
    labels = dict(zip(rows["station"], rows["label"])) if "label" in rows else {}
    return [labels.get(s, s) for s in g["names"]]


def _at(rows: pd.DataFrame, station: str, share: float):
    return rows[(rows["station"] == station) & (rows["wfh_share"] == share)].iloc[0]


def sweep_lead(table: pd.DataFrame, lang: str, required: float = cd.REQUIRED_SHARE) -> str | None:
    """The sweep in one sentence (``sweep.csv`` as :func:`simulation.chart_data.sweep_curve_table`
    gives it): for every desk swept, the largest share of its officers at home with every desk
    still within standard — or, when even nobody at home misses it, where."""
    if table is None or not len(table):
        return None
    groups = _sweep_groups(table, required)
    zero = table[table["wfh_share"] == 0]
    if len(zero) and (zero["within_target_share"] < required - 1e-9).any():
        r = zero.loc[zero["within_target_share"].idxmin()]
        return t("sweep_lead_fails_at_zero", lang, share=_pct_below(r.within_target_share, required, lang),
                 label=r.label,
                 required=fmt_pct(required, lang))
    items = []
    for g in groups:
        stations = join_words(_sweep_labels(g), lang)
        if g["bad"] is None:
            items.append(t("sweep_lead_item_most", lang, stations=stations, share=_sweep_share(g, g["holds"], lang)))
        elif g["holds"] is None:
            items.append(t("sweep_lead_item_none", lang, stations=stations))
        else:
            items.append(t("sweep_lead_item", lang, stations=stations, share=_sweep_share(g, g["holds"], lang)))
    together = any(len(g["names"]) > 1 for g in groups)
    how = t("sweep_how_together", lang) if together else (t("sweep_how_alone", lang) if len(groups) > 1 else "")
    return t("sweep_lead", lang, required=fmt_pct(required, lang), how=how, items="; ".join(items))


def sweep_bullets(table: pd.DataFrame, lang: str, required: float = cd.REQUIRED_SHARE) -> list[str]:
    """One bullet per desk swept (or desks swept together): up to which share every desk stays
    within standard, from which share which desk falls below it and how far, and the mean wait
    (every visit) at that desk — at the swept desk when the standard holds throughout."""
    if table is None or not len(table):
        return []
    out = []
    for g in _sweep_groups(table, required):
        rows, shares = g["rows"], g["shares"]
        first, last = shares[0], shares[-1]
        stations = join_words(_sweep_labels(g), lang)
        if g["zero"] and not g["ok"][first]:
            at_last = rows[(rows["wfh_share"] == last) & rows["station"].isin(g["names"])]
            r = at_last.loc[at_last["within_target_share"].idxmin()]
            r0 = _at(rows, r.station, first)
            out.append(t("sweep_desk_fails_at_zero", lang, stations=stations, bad=_sweep_share(g, last, lang),
                         share=_pct_below(r.within_target_share, required, lang), label=r.label,
                         base_share=_pct_below(r0.within_target_share, required, lang),
                         base=fmt_minutes(r0.mean_wait_all, lang), pol=fmt_minutes(r.mean_wait_all, lang)))
        elif g["bad"] is not None:
            at_bad = rows[rows["wfh_share"] == g["bad"]]
            r = at_bad.loc[at_bad["within_target_share"].fillna(-1).idxmin()]
            r0 = _at(rows, r.station, first)
            args = dict(stations=stations, bad=_sweep_share(g, g["bad"], lang),
                        share=_pct_below(r.within_target_share, required, lang), label=r.label,
                        base=fmt_minutes(r0.mean_wait_all, lang), pol=fmt_minutes(r.mean_wait_all, lang))
            if g["holds"] is None:
                out.append(t("sweep_desk_breaks_first", lang, **args))
            else:
                out.append(t("sweep_desk_breaks", lang, ok=_sweep_share(g, g["holds"], lang), **args))
        else:
            own = rows[rows["station"].isin(g["names"])]
            rise = {s: _at(own, s, last).mean_wait_all - _at(own, s, first).mean_wait_all for s in g["names"]}
            station = max(rise, key=lambda s: rise[s] if math.isfinite(rise[s]) else -np.inf)
            r0, r = _at(own, station, first), _at(own, station, last)
            out.append(t("sweep_desk_holds", lang, stations=stations, ok=_sweep_share(g, last, lang), label=r.label,
                         base=fmt_minutes(r0.mean_wait_all, lang), pol=fmt_minutes(r.mean_wait_all, lang)))
    return out
