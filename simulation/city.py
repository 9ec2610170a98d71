"""The city-wide question: which offices could let anyone work from home, and at what cost?

Kota Bengkulu's decision covered every front-line unit at once — Dukcapil, the public
service mall, puskesmas, kecamatan and kelurahan desks. :func:`city_table` answers it for
any set of office scenarios in one table:

* for every office, station and weekday, the staffing advice (:func:`simulation.advice.staffing_advice`):
  officers at the counter now, the fewest that keep the desk within its service standard,
  and how many could work from home that day *without breaking it* (none where the
  standard is not met even with everyone in);
* for every work-from-home policy each scenario defines, what it costs citizens over the
  simulated period against that scenario's baseline: citizen-hours lost (waiting and
  travelling) and citizens never served.

``city.csv`` holds both (the policy columns repeat on each row of their office); ``city.png``
draws one bar per office: officer-days a week that could be at home while every desk meets
its standard, beside the harm of the scenario's own WFH policies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .advice import advice_simulations, staffing_advice
from .progress import Progress, for_call
from .runner import run_scenario
from .scenario import Scenario

__all__ = ["city_table", "city_simulations", "office_policy_table"]


def office_policy_table(scenario: Scenario, jobs: int | None = None,
                        progress: Progress | Callable[[int, int], None] | None = None,
                        scheduler: str | None = None) -> pd.DataFrame:
    """Per policy of one office: what it costs citizens against the baseline, per simulated period.

    Columns: office, policy, label, baseline, citizen_hours_lost, extra_citizen_hours_lost (with
    95 % CI), never_served, extra_never_served, first_trip_within_target_share.

    ``jobs``, ``progress`` and ``scheduler`` (the address of a Dask distributed scheduler whose
    workers run the replications, with the same results) are
    :func:`~simulation.runner.run_scenario`'s; ``progress`` may be a
    :class:`~simulation.progress.Progress`.
    """
    results = run_scenario(scenario, jobs=jobs, scheduler=scheduler,
                           progress=for_call(progress, len(scenario.staffing_policies())))
    labels = {n: p.label or n for n, p in scenario.staffing_policies().items()}
    base = scenario.baseline
    people = results.citizens.set_index("policy")
    overall = results.overall.groupby("policy", sort=False)["citizen_hours_lost"].mean()
    comparison = results.comparison
    rows = []
    for policy in labels:
        row = {"office": scenario.name, "policy": policy, "label": labels[policy], "baseline": base,
               "citizen_hours_lost": float(overall[policy]), "never_served": float(people.loc[policy, "never_served"]),
               "first_trip_within_target_share": float(people.loc[policy, "first_trip_within_target_share"])}
        if policy == base or comparison is None:
            row.update(extra_citizen_hours_lost=0.0, extra_citizen_hours_lost_ci_low=np.nan,
                       extra_citizen_hours_lost_ci_high=np.nan, extra_never_served=0.0)
        else:
            c = comparison[(comparison.policy == policy) & (comparison.station == "all")].iloc[0]
            row.update(extra_citizen_hours_lost=float(c.diff_citizen_hours_lost),
                       extra_citizen_hours_lost_ci_low=float(c.diff_citizen_hours_lost_ci_low),
                       extra_citizen_hours_lost_ci_high=float(c.diff_citizen_hours_lost_ci_high),
                       extra_never_served=float(c.diff_never_served))
        rows.append(row)
    return pd.DataFrame(rows)


def city_simulations(scenarios: Sequence[Scenario], required_share: float = 0.9) -> int:
    """Simulations (one policy over one replication) :func:`city_table` is expected to run: the
    sum over offices of the advice's estimate (:func:`~simulation.advice.advice_simulations`)
    and, for an office with WFH policies, its policies over its replications."""
    total = 0
    for scenario in scenarios:
        total += advice_simulations(scenario, required_share)
        policies = len(scenario.staffing_policies())
        if policies > 1:
            total += policies * scenario.run.replications
    return total


def city_table(
    scenarios: Sequence[Scenario],
    required_share: float = 0.9,
    jobs: int | None = None,
    progress: Progress | Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """``city.csv``: staffing advice per office, station and weekday, with each office's WFH policies' cost.

    Columns: office, station, label, weekday, staff, recommended_onsite, status,
    may_work_from_home (officers who could be at home that weekday while the desk meets its
    standard: 0 where it does not), then for every WFH policy ``<policy>_citizen_hours_lost``,
    ``<policy>_extra_citizen_hours_lost`` and ``<policy>_never_served`` (per simulated
    period of that office's scenario; empty where the office has no such policy).

    ``jobs``, ``progress`` and ``scheduler`` (the address of a Dask distributed scheduler whose
    workers run the replications, with the same results) go to every
    :func:`~simulation.runner.run_scenario` call; a :class:`~simulation.progress.Progress`
    counts them all on one bar (estimate: :func:`city_simulations`).
    """
    frames = []
    for scenario in scenarios:
        advice = staffing_advice(scenario, required_share, jobs=jobs, progress=progress, scheduler=scheduler)
        meets = advice["status"] == "meets"
        table = pd.DataFrame({
            "office": scenario.name,
            "station": advice["station"],
            "label": advice["label"],
            "weekday": advice["weekday"],
            "staff": advice["staff"],
            "recommended_onsite": advice["recommended_onsite"],
            "status": advice["status"],
            "may_work_from_home": advice["may_work_from_home"].where(meets, 0).fillna(0).astype(int),
            "days_simulated": scenario.run.days,
            "replications": advice.attrs.get("replications", scenario.run.replications),
        })
        if len(scenario.staffing_policies()) > 1:
            costs = office_policy_table(scenario, jobs=jobs, progress=progress, scheduler=scheduler)
            for row in costs[costs.policy != scenario.baseline].itertuples(index=False):
                table[f"{row.policy}_citizen_hours_lost"] = row.citizen_hours_lost
                table[f"{row.policy}_extra_citizen_hours_lost"] = row.extra_citizen_hours_lost
                table[f"{row.policy}_never_served"] = row.never_served
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
