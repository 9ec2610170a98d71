"""The city-wide question: what does keeping every front-line officer at the counter protect?

Kota Bengkulu's decision covered every front-line unit at once — Dukcapil, the public
service mall, puskesmas, kecamatan and kelurahan desks — while the province's 2026
work-from-anywhere scheme (in the office Monday–Wednesday, anywhere Thursday–Friday) was the
alternative on the table. :func:`city_answer` answers it for any set of office scenarios:

* every office runs the same **standard policies**, by name (:data:`STANDARD_POLICIES`):
  ``full_office`` (everyone at the counter, the baseline), ``wfa_thu_fri`` (the province's
  scheme applied to the counters), and the hypothetical ``wfh_25`` and ``wfh_50``; each
  office's own policies (online channel, recall, a rota) run too, and appear in the
  per-office table, never in a city total;
* ``city.csv`` — one row per office and policy: what it costs citizens against the office's
  baseline, per simulated period, with each office's open days a week and weeks simulated so
  that per-week figures divide by the weeks actually simulated;
* ``city_staffing.csv`` — the staffing advice (:func:`simulation.advice.staffing_advice`) per
  office, station and weekday: how many could work from home with every desk within standard.

City totals are sums over offices of the *same* standard policy; an office without it is
named, never silently left out (:func:`simulation.chart_data.city_headline`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .advice import MIN_ADVICE_REPLICATIONS, advice_simulations, staffing_advice
from .progress import Progress, for_call
from .runner import run_scenario
from .scenario import Scenario

__all__ = ["STANDARD_POLICIES", "HYPOTHETICAL_POLICIES", "CITY_COLUMNS", "CityAnswer", "city_answer",
           "city_simulations", "office_policy_table", "office_seeds", "open_days_per_week"]

STANDARD_POLICIES = ("full_office", "wfa_thu_fri", "wfh_25", "wfh_50")
"""The policies every shipped office carries under these names, the baseline first:
everyone at the counter (the city's decision); the province's work-from-anywhere scheme on the
counters (Monday–Wednesday everyone in, Thursday and Friday every officer beyond one per desk
away); a quarter and half of each desk's officers at home every day."""

HYPOTHETICAL_POLICIES = ("wfh_25", "wfh_50")
"""Standard policies nobody proposed: bounds a planner can compare with, said to be hypothetical."""

CITY_COLUMNS = [
    "office", "policy", "label", "hypothetical", "citizens",
    "never_served", "extra_never_served", "extra_never_served_ci_low", "extra_never_served_ci_high",
    "citizen_hours_lost", "extra_citizen_hours_lost", "extra_citizen_hours_lost_ci_low",
    "extra_citizen_hours_lost_ci_high",
    "first_trip_within_target_share", "first_trip_within_target_share_ci_low",
    "first_trip_within_target_share_ci_high",
    "open_days_per_week", "days_simulated", "replications", "seed", "label_id",
]
"""``city.csv``: one row per office and policy (counts and hours per simulated period); ``label``
is the policy's label, ``label_id`` its label in Bahasa Indonesia (for the Indonesian report)."""


def open_days_per_week(scenario: Scenario) -> int:
    """Working days in the office's week (5 Monday–Friday; 6 with Saturday)."""
    return len(scenario.open_days)


def office_policy_table(scenario: Scenario, jobs: int | None = None,
                        progress: Progress | Callable[[int, int], None] | None = None,
                        scheduler: str | None = None) -> pd.DataFrame:
    """One office's rows of ``city.csv`` (:data:`CITY_COLUMNS`): every policy against its baseline.

    Counts and hours are per simulated period (``days_simulated`` working days), as
    ``citizens.csv`` and ``comparison.csv`` of ``loket run`` give them for the same scenario,
    seed and replications; ``extra_*`` are paired differences with the baseline, with 95 %
    intervals over replications.

    ``jobs``, ``progress`` and ``scheduler`` (the address of a Dask distributed scheduler whose
    workers run the replications, with the same results) are
    :func:`~simulation.runner.run_scenario`'s; ``progress`` may be a
    :class:`~simulation.progress.Progress`.
    """
    policies = scenario.staffing_policies()
    if STANDARD_POLICIES[0] in policies and scenario.baseline != STANDARD_POLICIES[0]:
        # Every difference is against everyone at the counter, wherever the file lists it.
        first = STANDARD_POLICIES[0]
        scenario = scenario.with_policies({first: policies[first], **{n: p for n, p in policies.items() if n != first}})
        policies = scenario.staffing_policies()
    results = run_scenario(scenario, jobs=jobs, scheduler=scheduler, visits="none",
                           progress=for_call(progress, len(policies)))
    base = scenario.baseline
    people = results.citizens.set_index("policy")
    hours = results.overall.groupby("policy", sort=False, observed=True)["citizen_hours_lost"].mean()
    comparison = results.comparison
    rows = []
    for name, policy in policies.items():
        p = people.loc[name]
        row = {"office": scenario.name, "policy": name, "label": policy.label or name,
               "label_id": policy.label_in("id") or name,
               "hypothetical": name in HYPOTHETICAL_POLICIES, "citizens": float(p["citizens"]),
               "never_served": float(p["never_served"]), "citizen_hours_lost": float(hours[name]),
               "first_trip_within_target_share": float(p["first_trip_within_target_share"]),
               "first_trip_within_target_share_ci_low": float(p["first_trip_within_target_share_ci_low"]),
               "first_trip_within_target_share_ci_high": float(p["first_trip_within_target_share_ci_high"])}
        if name == base or comparison is None:
            row.update(extra_never_served=0.0, extra_never_served_ci_low=np.nan, extra_never_served_ci_high=np.nan,
                       extra_citizen_hours_lost=0.0, extra_citizen_hours_lost_ci_low=np.nan,
                       extra_citizen_hours_lost_ci_high=np.nan)
        else:
            c = comparison[(comparison.policy == name) & (comparison.station == "all")].iloc[0]
            row.update(extra_never_served=float(c.diff_never_served),
                       extra_never_served_ci_low=float(c.diff_never_served_ci_low),
                       extra_never_served_ci_high=float(c.diff_never_served_ci_high),
                       extra_citizen_hours_lost=float(c.diff_citizen_hours_lost),
                       extra_citizen_hours_lost_ci_low=float(c.diff_citizen_hours_lost_ci_low),
                       extra_citizen_hours_lost_ci_high=float(c.diff_citizen_hours_lost_ci_high))
        row.update(open_days_per_week=open_days_per_week(scenario), days_simulated=scenario.run.days,
                   replications=scenario.run.replications, seed=scenario.run.seed)
        rows.append(row)
    return pd.DataFrame(rows, columns=CITY_COLUMNS)


def office_seeds(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """The offices with seeds of their own: where offices share a seed (``--seed``, or files that
    give the same one), each gets one derived from that seed and its name.

    Random streams are named by the scenario (``SeedSequence(seed, spawn_key=(replication, kind,
    name))``), so two offices with one seed and a stream of the same name would draw the same
    numbers: their results would be correlated, and a city total's interval, which adds the
    offices' variances, too narrow. The seed used is written to ``city.csv``, so a separate
    ``loket run --seed`` gives the same numbers.
    """
    seeds = [s.run.seed for s in scenarios]
    out = []
    for scenario, seed in zip(scenarios, seeds):
        if seeds.count(seed) > 1:
            key = [seed, zlib.crc32(scenario.name.encode("utf-8"))]
            scenario = scenario.with_run(seed=int(np.random.SeedSequence(key).generate_state(1)[0]))
        out.append(scenario)
    return out


def city_simulations(scenarios: Sequence[Scenario], required_share: float = 0.9) -> int:
    """Simulations (one policy over one replication) :func:`city_answer` is expected to run: the
    sum over offices of the advice's estimate (:func:`~simulation.advice.advice_simulations`)
    and its policies over its replications."""
    return sum(advice_simulations(s, required_share) + len(s.staffing_policies()) * s.run.replications
               for s in scenarios)


@dataclass(frozen=True)
class CityAnswer:
    """What ``loket city`` writes: ``city`` (``city.csv``) and ``staffing`` (``city_staffing.csv``)."""

    city: pd.DataFrame
    staffing: pd.DataFrame


def city_answer(
    scenarios: Sequence[Scenario],
    required_share: float = 0.9,
    jobs: int | None = None,
    progress: Progress | Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> CityAnswer:
    """Every office's policies against its baseline, and its staffing advice.

    ``city``: :func:`office_policy_table` of each office, one after another (``city.csv``).
    ``staffing``: per office, station and weekday, the columns of ``loket staff``'s
    ``staffing.csv`` with ``office`` first and the advice's ``replications`` (at least
    :data:`~simulation.advice.MIN_ADVICE_REPLICATIONS`) and ``seed`` last (``city_staffing.csv``).

    ``jobs``, ``progress`` and ``scheduler`` (the address of a Dask distributed scheduler whose
    workers run the replications, with the same results) go to every
    :func:`~simulation.runner.run_scenario` call; a :class:`~simulation.progress.Progress`
    counts them all on one bar (estimate: :func:`city_simulations`).
    """
    policies, staffing = [], []
    for scenario in office_seeds(scenarios):
        advice = staffing_advice(scenario, required_share, jobs=jobs, progress=progress, scheduler=scheduler)
        advice.insert(0, "office", scenario.name)
        advice["replications"] = advice.attrs.get("replications", max(scenario.run.replications,
                                                                      MIN_ADVICE_REPLICATIONS))
        advice["seed"] = scenario.run.seed
        staffing.append(advice)
        policies.append(office_policy_table(scenario, jobs=jobs, progress=progress, scheduler=scheduler))
    return CityAnswer(pd.concat(policies, ignore_index=True), pd.concat(staffing, ignore_index=True))
