"""``loket validate``: does the engine tell the truth?

A planner who quotes "half the counters at home means 30 minutes' more wait" is trusting the
simulator. This module lets anyone check that trust in a few minutes, on their own machine,
with the same engine that produced the numbers: it runs small offices whose answer is known
and compares the simulation with that answer.

**Known answers.** Each checked number has a ``source`` (:data:`SOURCES`):

* *computed from theory* — offices simple enough for exact formulas: Erlang C (M/M/c over
  c = 1..10 and loads 0.5..0.95), Pollaczek–Khinchine (M/D/1, M/G/1), Erlang A (M/M/c+M:
  citizens who give up; one case where 10 % more patience moves the share who give up by
  more than the check allows), Cobham (non-preemptive priority classes), M/M/c/K (balking
  at a queue limit) and Jackson networks; and Little's law on every steady-state case, with
  the time-average number waiting read from the queue-length trajectory as the simulation
  runs (:func:`_watch_queues`), not from the waits it records;
* *independent simulator* — rosters, breaks, closing time with citizens sent home, return
  trips, daily quotas, the online channel, recall and the office week have no formula: an
  office (:class:`simulation.reference_models.OfficeSpec`) is run by the engine and by a
  simulator that shares no code with it (a heapq model of one desk, or Ciw), and the two
  means are compared, each with its Monte Carlo error;
* *printed in a paper* — published field studies of Indonesian public-service queues
  (RSUP Dr. Kariadi, RSUD Pinrang, Disdukcapil Kuningan, Disdukcapil Sigi) re-simulated at
  the parameters the papers report (or back-solved), against the number the paper prints;
* *documented event* — Dukcapil Kota Bengkulu in November 2015 (docs/sources.md §3.2).

**How a check is judged.** Each case is a small scenario in a 24-hour office (open "00:00"
to "24:00", so the queue carries on across midnight: one long steady-state run per
replication), simulated for ``replications`` independent replications after a warm-up that
is left out of the statistics. The quantity of interest is computed per replication; the
replication means give a 99 % Student-t confidence interval
(:func:`simulation.summary_stats.t_interval`). The check passes when the reference lies in
``[ci_low - tolerance, ci_high + tolerance]``. The tolerance is a small, stated allowance,
in the units of the quantity:

* against theory, 2 % of the reference: the bias a finite run started empty keeps after
  its warm-up (each case's warm-up is several times its queue's relaxation time, so this
  bias is well below 2 %);
* for Little's law, 0.5 % of the reference, and the interval is the *paired* one over the
  replication-wise differences (queue-length trajectory minus arrival rate x mean wait);
  the allowance covers waits cut at either end of the measured window;
* against an independent simulator, the reference's own 99 % half-width: the check passes
  when the two intervals overlap;
* against a published table, the rounding of the printed number (half a unit in its last
  digit) plus the most the formula's answer moves when the parameters vary within their own
  rounding (or back-solving) — computed, not guessed, by :func:`rounding_allowance`. The
  reference is the published number itself; each check's ``why`` states its allowance.

A check is *gating* — counted in "agree" — only when its whole allowance (half the
interval plus the tolerance) is at most :data:`GATING_SHARE` of the reference; wider
checks are reported for information. A correct engine passes each check except with
well under 1 % probability; an engine that is wrong by more than the allowance plus the
interval fails it. Seeds are fixed (default
:data:`DEFAULT_SEED`; each case derives its own seed from it and its name), so the verdict is
reproducible, and since every replication depends only on the scenario, the seed and its
number, ``validation.csv`` is byte-identical whatever the number of worker processes.

**Cost.** Heavy traffic is expensive to pin down: at 95 % load a queue remembers its past for
about a thousand arrivals, so those cases run tens of thousands of citizens per replication,
and their intervals are still about ±10-15 % wide (at load 0.5-0.85, ±3-10 %). The full
suite simulates about 20 million visits (several minutes on two cores); ``--quick`` is nine
cheap cases, one at least for every behaviour (the same cases, seeds and numbers as in the
full suite), for continuous integration. The Ciw case is skipped, and named as skipped,
where Ciw is not installed.

Outputs of :func:`write_validation`: ``validation.csv`` (:data:`COLUMNS`, one row per checked
quantity), ``validation.png`` (every check, normalised as simulated / reference) and
``run.json``.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import theory
from .calendar import office_calendar
from .charts import BASELINE_COLOUR, DPI, INK, LABEL_SIZE, LEGEND_SIZE, TICK_SIZE, TITLE_SIZE, WIDTH, save_figure
from .citizens import draw_citizens
from .model import Office, StationRules
from .policies import staffing_plan
from .reference_models import MEASURES, OfficeSpec, ciw_missing, simulate_ciw, simulate_office
from .runner import visits_frame
from .scenario import Scenario, parse_scenario
from .summary_stats import replication_stats, t_interval
from .workers import for_each_result

__all__ = [
    "CASES",
    "COLUMNS",
    "CONFIDENCE",
    "DEFAULT_SEED",
    "Case",
    "Check",
    "case_scenario",
    "case_seed",
    "evaluate_case",
    "evaluate_check",
    "failing_cases",
    "finding",
    "little_row",
    "replication_table",
    "rounding_allowance",
    "run_case",
    "run_validation",
    "select_cases",
    "tolerance_notes",
    "validation_chart",
    "write_validation",
]

DEFAULT_SEED = 20261130
CONFIDENCE = 0.99
THEORY_TOLERANCE = 0.02
"""Allowance against theory, relative to the reference: residual warm-up / finite-run bias."""
LITTLE_TOLERANCE = 0.005
"""Allowance for Little's law, relative: waits cut at either end of the measured window."""
DAY = 1440

GATING_SHARE = 0.10
"""A check counts towards agreement (``gating``) only when everything it allows — the
simulated interval's half-width plus its tolerance — is at most this share of the reference."""

COLUMNS = ["case", "kind", "reference", "reference_value", "simulated_mean", "ci_low", "ci_high", "tolerance",
           "passed", "gating", "source"]
"""Columns of ``validation.csv``, in order."""

KINDS = ("erlang_c", "pollaczek_khinchine", "erlang_a", "cobham", "mmck", "jackson", "little", "field_study",
         "independent", "documented_event")

SOURCES = ("printed in a paper", "computed from theory", "independent simulator", "documented event")
"""Values of ``validation.csv``'s ``source``: a number a paper prints; a formula Loket
evaluates (queueing theory, also at a paper's inputs); a simulator sharing no code with the
engine (Ciw, or :mod:`simulation.reference_models`); a documented real event."""

SOURCE_OF_KIND = {"erlang_c": SOURCES[1], "pollaczek_khinchine": SOURCES[1], "erlang_a": SOURCES[1],
                  "cobham": SOURCES[1], "mmck": SOURCES[1], "jackson": SOURCES[1], "little": SOURCES[1],
                  "field_study": SOURCES[0], "independent": SOURCES[2], "documented_event": SOURCES[3]}

LITTLE_REFERENCE = "Little's law: arrival rate x mean wait, against the queue-length trajectory"
PATIENCE_TOLERANCE = 0.005
"""Allowance for the patience-sensitive Erlang A case: its warm-up is hundreds of relaxation
times, so the start-up bias is far below this; the check's width is its Monte Carlo error."""


# ---------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Check:
    """One quantity of a case held against a reference.

    Parameters
    ----------
    kind : str
        Where the reference comes from: one of :data:`KINDS` (``little`` checks are added to
        every case automatically).
    reference : str
        What the reference is, with units, e.g. ``"Erlang C mean wait (min)"``.
    quantity : str
        The simulated quantity, per replication: ``mean_wait`` (the engine's mean wait of
        served visits), ``mean_wait_all`` (mean wait of all arrivals, those who gave up
        included), ``p_abandon`` (share who gave up), ``mean_queue_length`` (time-average
        number waiting) or ``in_system`` (waiting plus being served).
    station : str
        The station it is measured at.
    reference_value : float
        The reference: the formula's value, or the published number.
    tolerance : float
        Allowance in the units of the quantity: the check passes when ``reference_value``
        lies in ``[ci_low - tolerance, ci_high + tolerance]``.
    why : str
        Why the tolerance is what it is.
    short : str
        A few words for the chart, e.g. ``"Wq"``.
    """

    kind: str
    reference: str
    quantity: str
    station: str
    reference_value: float
    tolerance: float
    why: str
    short: str
    source: str = ""
    """Where ``reference_value`` comes from: one of :data:`SOURCES` (default: from ``kind``)."""

    def __post_init__(self):
        if not self.source:
            object.__setattr__(self, "source", SOURCE_OF_KIND[self.kind])


@dataclass(frozen=True)
class Case:
    """A small steady-state office with known answers.

    Parameters
    ----------
    name : str
        Names the case in ``validation.csv`` and in the messages of ``loket validate``.
    group : str
        Section of the chart (``"Erlang C"``, ``"Field studies"`` ...).
    description : str
        What is simulated and where the reference comes from.
    stations : tuple of dict
        The ``[[stations]]`` tables of the scenario.
    per_hour : float
        Arrivals per hour, all day, at the first station.
    checks : tuple of Check
        The quantities checked (Little's law is added by :func:`evaluate_case`).
    days : int
        Days simulated per replication, warm-up included.
    warmup_days : int
        Days left out of the statistics at the start (the office starts empty).
    replications : int
        Independent replications.
    quick : bool
        Part of ``loket validate --quick``.
    first_station : str
        Where citizens arrive (default: the first of ``stations``).
    """

    name: str
    group: str
    description: str
    stations: tuple[dict, ...]
    per_hour: float
    checks: tuple[Check, ...]
    days: int
    warmup_days: int = 1
    replications: int = 20
    quick: bool = False
    first_station: str = field(default="")
    classes: tuple[dict, ...] = ()
    """Priority classes of the arrivals (``[[arrivals]] classes``)."""
    office: OfficeSpec | None = None
    """An office over working days (calendar, closing time ...) instead of the 24-hour office."""
    reference_model: str = ""
    """``"office"`` (:func:`simulation.reference_models.simulate_office`) or ``"ciw"``
    (:func:`simulation.reference_models.simulate_ciw`): the independent simulator the
    ``independent`` checks are held against; empty for cases with fixed references."""
    reference_replications: int = 0

    def scenario_dict(self, seed: int) -> dict:
        """The scenario (as a dict for :func:`simulation.parse_scenario`) run with ``seed``."""
        if self.office is not None:
            return self.office.scenario(self.description, seed, self.replications)
        arrivals = {"station": self.first_station or self.stations[0]["name"], "per_hour": self.per_hour}
        if self.classes:
            arrivals["classes"] = [dict(c) for c in self.classes]
        return {
            "name": "validation",
            "description": self.description,
            "run": {"days": self.days, "open": "00:00", "close": "24:00", "after_close": "serve",
                    "replications": self.replications, "seed": seed,
                    "warmup_minutes": float(self.warmup_days * DAY)},
            "stations": [dict(s) for s in self.stations],
            "arrivals": [arrivals],
        }


def rounding_allowance(formula: Callable[..., float], point: dict, half_units: dict,
                       published_half_unit: float) -> float:
    """Tolerance for comparing a simulation with a published, rounded number.

    Parameters
    ----------
    formula : callable
        The model's answer as a function of the parameters (keyword arguments).
    point : dict
        The parameters as published (or back-solved).
    half_units : dict
        For some parameters, how far the true value may lie from ``point`` (half a unit in the
        last printed digit, or the uncertainty of back-solving).
    published_half_unit : float
        Half a unit in the last digit of the published result.

    Returns
    -------
    float
        ``published_half_unit`` plus the largest change of ``formula`` over the corners of the
        box ``point ± half_units`` (the formulas used here are monotone in each parameter, so
        the corners bound the box).
    """
    base = formula(**point)
    names = list(half_units)
    spread = 0.0
    for signs in itertools.product((-1, 1), repeat=len(names)):
        p = dict(point)
        for name, s in zip(names, signs):
            p[name] = point[name] + s * half_units[name]
        spread = max(spread, abs(formula(**p) - base))
    return published_half_unit + spread


def _exp(mean: float) -> dict:
    return {"dist": "exponential", "mean": mean}


def _theory_check(kind: str, reference: str, quantity: str, station: str, value: float, short: str) -> Check:
    return Check(kind, reference, quantity, station, value, THEORY_TOLERANCE * abs(value),
                 f"{THEORY_TOLERANCE:.0%} of the reference: residual warm-up and finite-run bias", short)


def _erlang_c_wait(station: str, lam: float, mean_service: float, c: int, short: str = "Wq",
                   kind: str = "erlang_c") -> Check:
    where = f" at {station}" if kind == "jackson" else ""
    return _theory_check(kind, f"Erlang C mean wait{where} (min)", "mean_wait", station,
                         theory.mmc_mean_wait(lam, 1 / mean_service, c), short)


def _mmc_grid() -> list[Case]:
    """Erlang C over c = 1, 2, 3, 5, 7, 10 x load 0.5, 0.7, 0.85, 0.95.

    Every grid case has 60 arrivals an hour and a mean service of ``c x rho`` minutes, so the
    number of citizens per day is the same throughout; heavier loads need longer runs and
    warm-ups (at load rho an M/M/c queue forgets its start after roughly
    ``rho / (1 - sqrt(rho))^2`` arrivals: 6 at 0.5, 1,500 at 0.95).
    """
    length = {0.5: (1, 8), 0.7: (1, 11), 0.85: (1, 16), 0.95: (3, 33)}  # warm-up days, days
    quick = {(2, 0.7)}
    short = {(2, 0.7): 8}  # the quick case: 7 days measured keep its interval within ±5 %
    cases = []
    for c in (1, 2, 3, 5, 7, 10):
        for rho in (0.5, 0.7, 0.85, 0.95):
            warm, days = length[rho]
            s = round(c * rho, 6)
            cases.append(Case(
                name=f"M/M/{c} rho={rho:g}",
                group="Erlang C: M/M/c",
                description=f"M/M/{c} at load {rho:g}: 60 arrivals/hour, exponential service of mean {s:g} min",
                stations=({"name": "desk", "staff": c, "service": _exp(s)},),
                per_hour=60.0,
                checks=(_erlang_c_wait("desk", 1.0, s, c),),
                days=short.get((c, rho), days), warmup_days=warm, quick=(c, rho) in quick,
            ))
    return cases


def _pk_cases() -> list[Case]:
    """M/D/1 and M/G/1 (gamma, lognormal) against Pollaczek–Khinchine, 60 arrivals/hour."""
    specs = [
        ("M/D/1 rho=0.8", {"dist": "deterministic", "mean": 0.8}, 0.8, 0.0, 10, True),
        ("M/G/1 gamma cv=0.5 rho=0.8", {"dist": "gamma", "mean": 0.8, "cv": 0.5}, 0.8, 0.5, 16, False),
        ("M/G/1 lognormal cv=1.5 rho=0.7", {"dist": "lognormal", "mean": 0.7, "cv": 1.5}, 0.7, 1.5, 21, False),
    ]
    cases = []
    for name, service, mean, cv, days, quick in specs:
        wq = theory.mg1_mean_wait(1.0, mean, (cv * mean) ** 2)
        cases.append(Case(
            name=name, group="Pollaczek-Khinchine: M/G/1",
            description=f"one counter, 60 arrivals/hour, {service['dist']} service of mean {mean:g} min, cv {cv:g}",
            stations=({"name": "desk", "staff": 1, "service": service},), per_hour=60.0,
            checks=(_theory_check("pollaczek_khinchine", "Pollaczek-Khinchine mean wait (min)", "mean_wait", "desk",
                                  wq, "Wq"),),
            days=days, quick=quick,
        ))
    return cases


def _erlang_a_cases() -> list[Case]:
    """M/M/c+M: exponential patience, against the exact birth-death solution (Erlang A)."""
    specs = [("M/M/3+M rho=1.0", 3, 3.0, 5.0, False), ("M/M/1+M rho=1.2", 1, 1.2, 3.0, False)]
    cases = []
    for name, c, s, patience, quick in specs:
        ea = theory.erlang_a(1.0, 1 / s, c, 1 / patience)
        cases.append(Case(
            name=name, group="Erlang A: citizens who give up",
            description=(f"M/M/{c}, offered load {s / c:g} per counter, 60 arrivals/hour, exponential patience of "
                         f"mean {patience:g} min"),
            stations=({"name": "desk", "staff": c, "service": _exp(s), "patience": _exp(patience)},),
            per_hour=60.0,
            checks=(
                _theory_check("erlang_a", "Erlang A probability of giving up", "p_abandon", "desk", ea["p_abandon"],
                              "P(give up)"),
                _theory_check("erlang_a", "Erlang A mean wait of all arrivals (min)", "mean_wait_all", "desk",
                              ea["mean_wait"], "W, all arrivals"),
            ),
            days=9, quick=quick,
        ))
    # Where the share who give up moves most with patience (light load, patience 10 service
    # times): 10 % more patience gives 6.6 % fewer who give up, more than this check allows.
    ea = theory.erlang_a(1.0, 1 / 0.5, 1, 1 / 5.0)
    why = (f"{PATIENCE_TOLERANCE:.1%} of the reference (start-up bias; the warm-up is over 100 relaxation times); "
           "the rest is the 99 % interval: a 10 % patience error moves P(give up) by 6.6 %")
    cases.append(Case(
        name="M/M/1+M rho=0.5 patience", group="Erlang A: citizens who give up",
        description="M/M/1 at load 0.5, 60 arrivals/hour, service 0.5 min, exponential patience of mean 5 min",
        stations=({"name": "desk", "staff": 1, "service": _exp(0.5), "patience": _exp(5.0)},), per_hour=60.0,
        checks=(Check("erlang_a", "Erlang A probability of giving up", "p_abandon", "desk", ea["p_abandon"],
                      PATIENCE_TOLERANCE * ea["p_abandon"], why, "P(give up)"),
                Check("erlang_a", "Erlang A mean wait of all arrivals (min)", "mean_wait_all", "desk",
                      ea["mean_wait"], PATIENCE_TOLERANCE * ea["mean_wait"], why, "W, all arrivals")),
        days=9, replications=24, quick=True,
    ))
    return cases


def _priority_cases() -> list[Case]:
    """Non-preemptive priority: the elderly (30 %) called first, against Cobham's formula."""
    cases = []
    for c, rho, days, warm, quick in ((1, 0.8, 16, 1, False), (2, 0.8, 9, 1, True), (3, 0.85, 16, 2, False)):
        s = round(c * rho, 6)
        lams = [0.3, 0.7]  # per minute: 30 % lansia (priority 0), 70 % umum
        w = theory.cobham_mmc_waits(lams, 1 / s, c)
        cases.append(Case(
            name=f"M/M/{c} priority rho={rho:g}", group="Priority: Cobham",
            description=(f"M/M/{c} at load {rho:g}, 60 arrivals/hour, 30 % lansia called first (non-preemptive), "
                         f"exponential service of mean {s:g} min"),
            stations=({"name": "desk", "staff": c, "service": _exp(s)},), per_hour=60.0,
            classes=({"name": "lansia", "share": 0.3, "priority": 0},),
            checks=(_theory_check("cobham", "Cobham mean wait, priority class (min)", "mean_wait_class:lansia",
                                  "desk", w[0], "Wq lansia"),
                    _theory_check("cobham", "Cobham mean wait, everyone else (min)", "mean_wait_class:umum",
                                  "desk", w[1], "Wq umum")),
            days=days, warmup_days=warm, quick=quick,
        ))
    return cases


def _mmck_cases() -> list[Case]:
    """Balking at a queue limit: ``balk_at_queue = K - c`` makes M/M/c/K."""
    cases = []
    for c, k, rho, quick in ((2, 6, 0.9, True), (1, 5, 1.2, False)):
        s = round(c * rho, 6)
        m = theory.mmck(1.0, 1 / s, c, k)
        cases.append(Case(
            name=f"M/M/{c}/{k} rho={rho:g}", group="Queue limit: M/M/c/K",
            description=(f"M/M/{c} at offered load {rho:g}, 60 arrivals/hour; a citizen who finds {k - c} waiting "
                         f"leaves at once (balk_at_queue = {k - c}): M/M/{c}/{k}"),
            stations=({"name": "desk", "staff": c, "service": _exp(s), "balk_at_queue": k - c},), per_hour=60.0,
            checks=(_theory_check("mmck", "M/M/c/K probability of being turned back", "p_balk", "desk",
                                  m["p_block"], "P(balk)"),
                    _theory_check("mmck", "M/M/c/K mean wait of those who join (min)", "mean_wait", "desk",
                                  m["mean_wait"], "Wq joined")),
            days=7, quick=quick,
        ))
    return cases


# The office week both the engine and the reference simulators run: two working weeks from a
# Monday, the third calendar day (Wednesday) a holiday, a short Friday, lunch and Friday-prayer
# breaks, Monday-heavy demand.
_WEEK = {
    "hours": {"friday": ("08:00", "15:00")},
    "breaks": ((("monday", "tuesday", "wednesday", "thursday"), "12:00", "13:00"), (("friday",), "11:30", "13:00")),
    "demand": {"monday": 1.2, "friday": 0.8},
    "holidays": (3,),
}

_OFFICE_DAY = OfficeSpec(
    per_hour=(30, 36, 30, 24, 18, 24, 24, 18), service_mean=6.0, staff=4, roster=(2, 4, 4, 3, 3, 3, 3, 2),
    days=10, after_close="turn_away", daily_quota=180, return_probability=0.7, max_trips=3, **_WEEK)
"""Roster, breaks, closing with turn-away, return trips and a daily quota over two office weeks."""

_ONLINE_RECALL = OfficeSpec(
    per_hour=(24, 30, 26, 22, 16, 20, 18, 10), service_mean=5.0, staff=4, wfh_officers=2, days=10,
    after_close="turn_away", online_share=0.3, online_speed=1.0, recall_at=8, recall_travel=30.0, **_WEEK)
"""Two of four officers at home answering online requests (30 %), one recalled when six wait."""

_CIW_WEEK = OfficeSpec(
    per_hour=(30, 36, 30, 24, 18, 20, 16, 10), service_mean=6.0, staff=4, roster=(3, 4, 4, 3, 3, 3, 3, 2),
    days=5, after_close="serve", priority_share=0.2, **_WEEK)
"""Roster, breaks and priority over an office week, served to the end (what Ciw can express)."""

_DUKCAPIL_2015 = OfficeSpec(
    per_hour=(220, 10, 10, 10, 5, 5, 0, 0), service_mean=4.8, staff=2, days=5, after_close="turn_away")
"""Card printing at Dukcapil Kota Bengkulu, November 2015 (docs/sources.md §3.2): two printers
printing about 200 cards in an 08:00-16:00 day (2 x 480 min / 200 = 4.8 min a card), and more
than 200 people there from 08:00 (220 in the first hour, a few later)."""


def _independent(quantity: str, short: str) -> Check:
    return Check("independent", f"reference simulator: {MEASURES[quantity]}", quantity, "desk", float("nan"),
                 float("nan"), "the reference simulator's own 99 % interval (its Monte Carlo error)", short)


def _independent_cases() -> list[Case]:
    """Rules without formulas, against simulators sharing no code with the engine."""
    office = Case(
        name="Office rules, 2 weeks", group="Independent simulators",
        description=("one desk over two office weeks (holiday, short Friday, breaks, Monday-heavy demand): roster "
                     "2-4 officers, 6-min service, 200 queue numbers a day, those waiting at closing sent home, "
                     "70 % come back next working day (3 trips at most); against simulation.reference_models"),
        stations=(), per_hour=0.0, office=_OFFICE_DAY, reference_model="office", reference_replications=200,
        checks=tuple(_independent(q, sh) for q, sh in (
            ("mean_wait", "mean wait"), ("served_per_day", "served/day"),
            ("closing_turned_away_per_day", "sent home at closing/day"),
            ("quota_turned_away_per_day", "over quota/day"), ("return_visits_per_day", "return visits/day"))),
        days=10, warmup_days=0, replications=80, quick=True,
    )
    online = Case(
        name="Online and recall, 2 weeks", group="Independent simulators",
        description=("one desk, two of four officers at home handling 30 % of requests online; one recalled "
                     "(30 min away) when six wait; two office weeks; against simulation.reference_models"),
        stations=(), per_hour=0.0, office=_ONLINE_RECALL, reference_model="office", reference_replications=120,
        checks=tuple(_independent(q, sh) for q, sh in (
            ("mean_wait", "mean wait"), ("served_per_day", "served/day"), ("online_per_day", "online/day"),
            ("online_mean_wait", "online wait"), ("recalls_per_day", "recalls/day"))),
        days=10, warmup_days=0, replications=30, quick=True,
    )
    ciw_case = Case(
        name="Ciw office week", group="Independent simulators",
        description=("one desk over an office week: roster 2-4 officers finishing the citizen in front of them, "
                     "breaks, 20 % lansia called first, everyone served; against Ciw"),
        stations=(), per_hour=0.0, office=_CIW_WEEK, reference_model="ciw", reference_replications=30,
        checks=tuple(_independent(q, sh) for q, sh in (
            ("mean_wait", "mean wait"), ("mean_wait_priority", "wait lansia"), ("mean_wait_general", "wait umum"),
            ("served_per_day", "served/day"))),
        days=5, warmup_days=0, replications=30, quick=True,
    )
    event = Case(
        name="Dukcapil Bengkulu Nov 2015", group="Documented event",
        description=("card printing: two printers, about 200 cards a day, more than 200 people waiting from 08:00; "
                     "reported waits of about five hours (docs/sources.md §3.2)"),
        stations=(), per_hour=0.0, office=_DUKCAPIL_2015,
        checks=(Check("documented_event", "reported waits of about five hours (min)", "mean_wait", "desk", 300.0,
                      120.0, "\"about five hours\" is a rounded figure from news reports, not a measurement: "
                      "any mean wait from three to seven hours is of that order (±120 min, so information only)",
                      "mean wait"),),
        days=5, warmup_days=0, replications=20, quick=True,
    )
    return [office, online, ciw_case, event]


def _jackson_cases() -> list[Case]:
    """Open Jackson networks: each station is M/M/c at its own total arrival rate (Burke, Jackson)."""
    tandem = (  # name, staff, mean service; 60 arrivals/hour pass through all three
        ("verifikasi", 2, 1.6), ("perekaman", 1, 0.7), ("cetak", 3, 2.7),
    )
    stations = []
    for i, (name, c, s) in enumerate(tandem):
        st = {"name": name, "staff": c, "service": _exp(s)}
        if i + 1 < len(tandem):
            st["next"] = {tandem[i + 1][0]: 1.0}
        stations.append(st)
    cases = [Case(
        name="Tandem 3 stations", group="Jackson networks",
        description="three M/M/c stations in series (c = 2, 1, 3; loads 0.8, 0.7, 0.9), 60 arrivals/hour",
        stations=tuple(stations), per_hour=60.0,
        checks=tuple(_erlang_c_wait(name, 1.0, s, c, short=f"Wq {name}", kind="jackson") for name, c, s in tandem),
        days=16, warmup_days=2,
    )]
    # Registration, then the doctor (60 %) or straight to the pharmacy (30 %; 10 % leave);
    # half of the doctor's patients go on to the pharmacy: it sees 0.3 + 0.6 x 0.5 = 0.6 a minute.
    branch = (
        ("pendaftaran", 2, 1.5, 1.0, {"dokter": 0.6, "apotek": 0.3}),
        ("dokter", 1, 1.4, 0.6, {"apotek": 0.5}),
        ("apotek", 2, 2.5, 0.6, {}),
    )
    stations = [{"name": n, "staff": c, "service": _exp(s), **({"next": nxt} if nxt else {})}
                for n, c, s, _, nxt in branch]
    cases.append(Case(
        name="Branching route", group="Jackson networks",
        description=("registration (M/M/2, load 0.75) -> doctor 60 % (M/M/1, 0.84) / pharmacy 30 %; doctor -> "
                     "pharmacy 50 % (M/M/2 at 0.6/min, load 0.75)"),
        stations=tuple(stations), per_hour=60.0,
        checks=tuple(_erlang_c_wait(n, lam, s, c, short=f"Wq {n}", kind="jackson") for n, c, s, lam, _ in branch),
        days=12, warmup_days=2,
    ))
    return cases


def _published(reference: str, quantity: str, value: float, tolerance: float, why: str, short: str) -> Check:
    return Check("field_study", reference, quantity, "desk", value, tolerance, why, short)


def _field_cases() -> list[Case]:
    """The published field studies, re-simulated."""
    cases = []
    wq = theory.mmc_mean_wait

    # H2: RSUP Dr. Kariadi registration counter. lam, mu and rho printed (4 and 3 decimals); the
    # paper prints no mean wait: Loket checks the wait against Erlang C at its rates (docs/sources.md §1.3).
    lam, mu = 0.8222, 0.5211
    cases.append(Case(
        name="H2 RSUP Dr. Kariadi M/M/2", group="Field studies",
        description=("RSUP Dr. Kariadi registration (H2): M/M/2, lambda = 0.8222/min, mu = 0.5211/min and "
                     "rho = 0.789 printed in the paper; the paper prints no mean wait (Loket's Erlang C at its "
                     "rates is 3.16 min)"),
        stations=({"name": "desk", "staff": 2, "service": _exp(1 / mu)},), per_hour=lam * 60,
        checks=(
            # What the paper does print: the load rho = lambda / (2 mu) = 0.789, against the share
            # of staffed time the simulated officers spend serving.
            _published("published rho, printed in the paper", "utilization", 0.789, 0.0005,
                       "0.789 printed to ±0.0005; lambda and mu printed to 4 decimals move rho by < 0.0001",
                       "rho, published"),
            _erlang_c_wait("desk", lam, 1 / mu, 2, short="Wq, Erlang C"),
        ),
        days=16,
    ))

    # H3: RSUD Pinrang. lam about 11.3 an hour, mean service about 14.3 min; Wq = 37 min with
    # 3 counters, 4.2 min with 4.
    lam, s = 11.3 / 60, 14.3
    for c, published, half, days, warm in ((3, 37.0, 0.5, 124, 4), (4, 4.2, 0.05, 46, 1)):
        tol = rounding_allowance(lambda lam, s, c=c: wq(lam, 1 / s, c), {"lam": lam, "s": s},
                                 {"lam": 0.05 / 60, "s": 0.05}, half)
        cases.append(Case(
            name=f"H3 RSUD Pinrang M/M/{c}", group="Field studies",
            description=(f"RSUD Pinrang (H3): M/M/{c}, lambda = 11.3/hour, mean service 14.3 min (computed by Loket "
                         f"from the printed waits); Wq = {published:g} min printed in the paper, for its busiest "
                         "period"),
            stations=({"name": "desk", "staff": c, "service": _exp(s)},), per_hour=11.3,
            checks=(
                _published("published Wq, printed in the paper (min)", "mean_wait", published, tol,
                           f"{published:g} printed to ±{half:g} min (the paper's longest period average, not the "
                           f"day's mean), plus lambda (11.3 ± 0.05/hour) and mean service (14.3 ± 0.05 min) "
                           f"back-solved and rounded: Erlang C moves by up to ±{tol - half:.2f} min",
                           "Wq, published"),
                _erlang_c_wait("desk", lam, s, c, short="Wq, Erlang C"),
            ),
            days=days, warmup_days=warm,
        ))

    # D2: Disdukcapil Kuningan, M/M/1. Reported Wq = 17.8 min, Lq = 17, rho = 0.947; M/M/1 gives
    # Wq = rho s / (1 - rho), so s = 17.8 x 0.053 / 0.947 = 1.0 min and lam = rho / s = 0.947/min (57/h).
    rho, s = 0.947, 1.0
    tol_w = rounding_allowance(lambda rho, s: rho * s / (1 - rho), {"rho": rho, "s": s},
                               {"rho": 0.0005, "s": 0.05}, 0.05)
    tol_l = rounding_allowance(lambda rho: rho**2 / (1 - rho), {"rho": rho}, {"rho": 0.0005}, 0.5)
    cases.append(Case(
        name="D2 Disdukcapil Kuningan M/M/1", group="Field studies",
        description=("Disdukcapil Kuningan (D2): M/M/1, Wq = 17.8 min, Lq = 17, rho = 0.947 printed in the paper; "
                     "mean service 1.0 min, lambda = 0.947/min (57/hour) computed by Loket from them"),
        stations=({"name": "desk", "staff": 1, "service": _exp(s)},), per_hour=rho / s * 60,
        checks=(
            _published("published Wq, printed in the paper (min)", "mean_wait", 17.8, tol_w,
                       f"17.8 printed to ±0.05 min; rho = 0.947 ± 0.0005 and the back-solved service 1.0 ± 0.05 min "
                       f"move Wq by up to ±{tol_w - 0.05:.2f} min", "Wq, published"),
            _published("published Lq, printed in the paper (citizens)", "mean_queue_length", 17.0, tol_l,
                       f"17 printed to a whole citizen (±0.5); rho = 0.947 ± 0.0005 moves Lq by ±{tol_l - 0.5:.2f}",
                       "Lq, published"),
            _erlang_c_wait("desk", rho / s, s, 1, short="Wq, Erlang C"),
        ),
        days=43, warmup_days=3,
    ))

    # D1: Disdukcapil Sigi, three services: rho = 0.57/0.45/0.75 and L of about 2/1/5 printed in the
    # paper; c = 2/2/4 inferred from its loads; Erlang C (1.66/1.13/4.53) computed by Loket. L in M/M/c
    # depends on c and rho only, so any service time will do: 5 minutes.
    s = 5.0
    for label, c, rho, published, paper_ec, quick in (("A", 2, 0.57, 2.0, 1.66, False),
                                                      ("B", 2, 0.45, 1.0, 1.13, False),
                                                      ("C", 4, 0.75, 5.0, 4.53, False)):
        def in_system(rho, c=c):
            return theory.mmc_mean_queue_length(rho * c, 1.0, c) + rho * c

        tol = rounding_allowance(in_system, {"rho": rho}, {"rho": 0.005}, 0.5)
        lam = rho * c / s
        value = in_system(rho)
        cases.append(Case(
            name=f"D1 Disdukcapil Sigi {label} M/M/{c}", group="Field studies",
            description=(f"Disdukcapil Sigi (D1), service {label}: M/M/{c} at rho = {rho:g}; L of about "
                         f"{published:g} printed in the paper (Erlang C computed by Loket: {paper_ec:g}); mean "
                         f"service set to {s:g} min (L depends on c and rho only)"),
            stations=({"name": "desk", "staff": c, "service": _exp(s)},), per_hour=lam * 60,
            checks=(
                _published("published L, printed in the paper (citizens in the office)", "in_system", published, tol,
                           f"{published:g} printed to a whole citizen (±0.5); rho = {rho:g} ± 0.005 moves L by "
                           f"±{tol - 0.5:.2f}", "L, published"),
                _theory_check("erlang_c", "Erlang C citizens in the office, L", "in_system", "desk", value,
                              "L, Erlang C"),
            ),
            days=21, quick=quick,
        ))
    return cases


CASES: tuple[Case, ...] = tuple(_mmc_grid() + _pk_cases() + _erlang_a_cases() + _priority_cases() + _mmck_cases()
                                + _jackson_cases() + _field_cases() + _independent_cases())
"""The full suite, in report order; ``quick`` marks the ``--quick`` subset."""


def select_cases(quick: bool = False) -> list[Case]:
    """The cases of the suite (``quick``: only the ``--quick`` subset)."""
    return [c for c in CASES if c.quick or not quick]


# ---------------------------------------------------------------------------------------
# Simulation: the engine, watched


def _watch_queues(office: Office, start: float, end: float) -> dict:
    """Record the number of citizens waiting at every event, straight from the counters' queues.

    The time integral over ``[start, end]`` (``area``) is the queue-length trajectory Little's
    law is checked with: it is read from the engine's queues as the simulation runs, not from
    the waits it records, so the two sides of the law are measured independently.
    """
    env, pools = office.env, office.pools
    step = env.step
    acc = {"area": 0.0, "t": 0.0, "n": 0}

    def watched_step():
        step()
        now = env.now
        if now != acc["t"]:
            a, b = max(acc["t"], start), min(now, end)
            if b > a:
                acc["area"] += acc["n"] * (b - a)
            acc["t"] = now
        acc["n"] = sum(len(p.queue) for p in pools)

    env.step = watched_step
    return acc


def _engine_replication(task: tuple) -> dict:
    """One replication of a case's scenario in the engine: ``{"stations": rows, "office": measures, "area": L}``."""
    scenario, replication, watch = task
    calendar = office_calendar(scenario)
    citizens = draw_citizens(scenario, calendar, replication)
    name = scenario.baseline
    office = Office(calendar, citizens, after_close=scenario.run.after_close,
                    plan=staffing_plan(scenario, name, calendar), rules=StationRules.from_scenario(scenario))
    warmup = scenario.run.warmup_minutes
    acc = _watch_queues(office, warmup, calendar.end) if watch else None
    log = office.run()
    if acc is not None and acc["t"] < calendar.end:  # nothing happened after the last event
        acc["area"] += acc["n"] * (calendar.end - max(acc["t"], warmup))
    v = visits_frame(scenario, calendar, citizens, log, name, replication)
    timelines = [office.staff_timeline(s) for s in range(len(scenario.stations))]
    stats = replication_stats(v, scenario, calendar, timelines)
    counter = v[(v["arrival"] >= warmup) & (v["outcome"] != "online")]
    rows = []
    for _, st in stats.iterrows():
        mine = counter[counter["station"] == st["station"]]
        served = mine[mine["outcome"] == "served"]
        row = {"replication": replication, "station": str(st["station"]), "arrived": st["arrived"],
               "mean_wait": st["mean_wait"], "mean_wait_all": float(mine["wait"].mean()) if len(mine) else np.nan,
               "wait_sum": float(mine["wait"].sum()),
               "p_abandon": st["reneged"] / st["arrived"] if st["arrived"] else np.nan,
               "p_balk": st["balked"] / st["arrived"] if st["arrived"] else np.nan,
               "mean_queue_length": st["mean_queue_length"], "utilization": st["utilization"]}
        for klass, g in served.groupby("class", observed=True):
            row[f"mean_wait_class:{klass}"] = float(g["wait"].mean())
        rows.append(row)
    out = {"stations": rows, "area": acc["area"] if acc is not None else np.nan,
           "window": calendar.end - warmup}
    if scenario.calendar is not None:
        out["office"] = _office_measures(v, calendar.days, len(office.recalls))
    return out


def _office_measures(v: pd.DataFrame, days: int, recalls: int) -> dict:
    """The engine's side of :data:`simulation.reference_models.MEASURES`, from its visit table."""
    outcome = v["outcome"].astype(str).to_numpy()
    wait = v["wait"].to_numpy()
    served = outcome == "served"
    online = outcome == "online"
    picked = online & v["service_start"].notna().to_numpy()
    klass = v["class"].astype(str).to_numpy()
    turned = outcome == "turned_away"

    def mean(x):
        return float(x.mean()) if len(x) else np.nan

    return {
        "mean_wait": mean(wait[served]),
        "served_per_day": served.sum() / days,
        "closing_turned_away_per_day": (turned & (wait > 0)).sum() / days,
        "quota_turned_away_per_day": (turned & (wait == 0)).sum() / days,
        "return_visits_per_day": (v["trip"].to_numpy() > 1).sum() / days,
        "reneged_per_day": (outcome == "reneged").sum() / days,
        "online_per_day": picked.sum() / days,
        "online_mean_wait": mean(wait[picked]),
        "recalls_per_day": recalls / days,
        "mean_wait_priority": mean(wait[served & (klass != "umum")]),
        "mean_wait_general": mean(wait[served & (klass == "umum")]),
    }


def _reference_replication(task: tuple) -> dict:
    """One replication of an independent reference simulator."""
    model, spec, seed = task
    return (simulate_ciw if model == "ciw" else simulate_office)(spec, seed)


def case_seed(seed: int, name: str) -> int:
    """A case's own seed, derived from the suite's ``seed`` and the case's ``name``.

    Different cases get independent random numbers, and a case gets the same numbers in
    the quick and the full suite.
    """
    state = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode("utf-8")),)).generate_state(1)
    return int(state[0])


def reference_seeds(seed: int, case: Case) -> list[int]:
    """Seeds of the reference simulator's replications: independent of the engine's."""
    root = np.random.SeedSequence(case_seed(seed, case.name + "/reference"))
    return [int(c.generate_state(1)[0]) for c in root.spawn(case.reference_replications)]


def case_scenario(case: Case, seed: int = DEFAULT_SEED) -> Scenario:
    """The case's scenario, with the case's seed derived from ``seed``."""
    return parse_scenario(case.scenario_dict(case_seed(seed, case.name)), source=f"validation case {case.name!r}")


def _watched(case: Case) -> bool:
    """Little's law is checked on the steady-state cases (the 24-hour office)."""
    return case.office is None


def case_tasks(case: Case, seed: int = DEFAULT_SEED) -> list[tuple]:
    """The simulations a case needs: ``(fn, task)`` for each engine and reference replication."""
    scenario = case_scenario(case, seed)
    tasks = [(_engine_replication, (scenario, r, _watched(case))) for r in range(1, case.replications + 1)]
    if case.reference_model:
        tasks += [(_reference_replication, (case.reference_model, case.office, s)) for s in reference_seeds(seed, case)]
    return tasks


# ---------------------------------------------------------------------------------------
# Evaluation


def replication_table(engine: Sequence[dict]) -> pd.DataFrame:
    """Per replication and station, everything the checks need, from :func:`_engine_replication` results.

    Columns: ``replication, station, arrived, mean_wait`` (served visits, as the engine
    reports it), ``mean_wait_all`` and ``wait_sum`` (all arrivals, those who gave up
    included, until served or gone), ``p_abandon``, ``p_balk``, ``mean_queue_length``,
    ``utilization``, ``in_system`` (waiting plus ``utilization x staff`` being served),
    ``mean_wait_class:<class>`` (served visits of each priority class).
    """
    return pd.DataFrame([row for rep in engine for row in rep["stations"]])


def _gating(reference_value: float, low: float, high: float, tolerance: float) -> bool:
    allowance = (high - low) / 2 + tolerance
    return bool(np.isfinite([reference_value, allowance]).all() and allowance <= GATING_SHARE * abs(reference_value))


def _row(case: str, check: Check | None, kind: str, reference: str, reference_value: float, mean: float, low: float,
         high: float, tolerance: float, source: str) -> dict:
    ok = bool(np.isfinite([reference_value, low, high, tolerance]).all()
              and low - tolerance <= reference_value <= high + tolerance)
    return {"case": case, "kind": kind, "reference": reference, "reference_value": float(reference_value),
            "simulated_mean": float(mean), "ci_low": float(low), "ci_high": float(high),
            "tolerance": float(tolerance), "passed": ok, "gating": _gating(reference_value, low, high, tolerance),
            "source": source}


def evaluate_check(case_name: str, check: Check, table: pd.DataFrame, staff: dict | None = None) -> dict:
    """One row of ``validation.csv``: the check's quantity over replications against its fixed reference.

    ``passed``: the reference lies in ``[ci_low - tolerance, ci_high + tolerance]`` (the 99 %
    t-interval of the replication values); ``gating``: that allowance is at most
    :data:`GATING_SHARE` of the reference.
    """
    rows = table[table["station"] == check.station]
    if rows.empty:
        raise KeyError(f"case {case_name!r}: no station {check.station!r} in the simulation")
    if check.quantity == "in_system":
        values = rows["mean_queue_length"] + rows["utilization"] * (staff or {}).get(check.station, 0)
    else:
        values = rows[check.quantity] if check.quantity in rows else pd.Series(np.nan, index=rows.index)
    mean, low, high = t_interval(values, CONFIDENCE)
    return _row(case_name, check, check.kind, check.reference, check.reference_value, mean, low, high,
                check.tolerance, check.source)


def little_row(case_name: str, engine: Sequence[dict]) -> dict:
    """Little's law over all stations of a case, measured two independent ways, as a paired check.

    Per replication, ``L`` is the time-average number waiting from the queue-length
    trajectory (:func:`_watch_queues`) and ``lambda W`` the arrival rate times the mean wait
    of all arrivals after the warm-up (total recorded waiting time / minutes measured). The
    row's reference is the mean of ``lambda W``, its simulated mean that of ``L``, and its
    interval ``mean(L) ± h`` with ``h`` the half-width of the 99 % t-interval of the
    replication-wise differences ``L - lambda W``. Its tolerance is 0.5 % of the reference:
    waits under way at the end of the run count in full in ``lambda W`` but are cut in ``L``
    and those under way at the warm-up's end the other way round; in a stationary queue the
    two cancel in expectation, and either is far below 0.5 % of the runs measured here.
    """
    L = np.array([rep["area"] / rep["window"] for rep in engine])
    lw = np.array([sum(r["wait_sum"] for r in rep["stations"]) / rep["window"] for rep in engine])
    _, d_low, d_high = t_interval(L - lw, CONFIDENCE)
    half = (d_high - d_low) / 2
    ref, mean_l = float(lw.mean()), float(L.mean())
    return _row(case_name, None, "little", LITTLE_REFERENCE, ref, mean_l, mean_l - half, mean_l + half,
                LITTLE_TOLERANCE * abs(ref), SOURCE_OF_KIND["little"])


def independent_row(case_name: str, check: Check, engine: Sequence[dict], reference: Sequence[dict]) -> dict:
    """A measure of the engine against the same measure of an independent simulator.

    Both are means over independent replications with a 99 % t-interval; the row's
    reference is the reference simulator's mean, its tolerance that mean's half-width, so the
    check passes when the two intervals overlap (a difference beyond both Monte Carlo errors
    fails).
    """
    ref_mean, ref_low, ref_high = t_interval([r[check.quantity] for r in reference], CONFIDENCE)
    mean, low, high = t_interval([rep["office"][check.quantity] for rep in engine], CONFIDENCE)
    source = "independent simulator"
    return _row(case_name, check, check.kind, check.reference, ref_mean, mean, low, high, (ref_high - ref_low) / 2,
                source)


def evaluate_case(case: Case, engine: Sequence[dict], reference: Sequence[dict] = ()) -> list[dict]:
    """Rows of ``validation.csv`` for a simulated case: each of its checks, then Little's law (steady state)."""
    rows = []
    table = replication_table(engine)
    staff = {s["name"]: s["staff"] for s in case.stations}
    for check in case.checks:
        if check.kind == "independent":
            rows.append(independent_row(case.name, check, engine, reference))
        elif case.office is not None:
            mean, low, high = t_interval([rep["office"][check.quantity] for rep in engine], CONFIDENCE)
            rows.append(_row(case.name, check, check.kind, check.reference, check.reference_value, mean, low, high,
                             check.tolerance, check.source))
        else:
            rows.append(evaluate_check(case.name, check, table, staff))
    if _watched(case):
        rows.append(little_row(case.name, engine))
    return rows


def skipped_cases(cases: Sequence[Case]) -> dict[str, str]:
    """Cases that cannot run here, with why (the Ciw cases when Ciw is not installed)."""
    why = ciw_missing()
    return {c.name: why for c in cases if c.reference_model == "ciw" and why}


def run_case(case: Case, seed: int = DEFAULT_SEED, jobs: int | None = None) -> list[dict]:
    """Simulate a case (``jobs`` worker processes) and evaluate it."""
    return run_validation([case], seed, jobs).to_dict("records")


def _call(item):
    fn, task = item
    return fn(task)


def run_validation(cases: Sequence[Case] | None = None, seed: int = DEFAULT_SEED, jobs: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run ``cases`` (default: the full suite) and return ``validation.csv`` as a table.

    Cases that cannot run here (:func:`skipped_cases`) are left out; the table's
    ``attrs["skipped"]`` names them with why. ``progress(done, total)`` is called after each
    case, if given. Every replication is a task of its own, spread over ``jobs`` processes.
    """
    cases = list(CASES if cases is None else cases)
    skipped = skipped_cases(cases)
    runnable = [c for c in cases if c.name not in skipped]
    plan = [(c, case_tasks(c, seed)) for c in runnable]
    flat = [item for _, tasks in plan for item in tasks]
    results: list = []
    bounds = np.cumsum([len(t) for _, t in plan]).tolist()
    done = [0]

    def consume(result):
        results.append(result)
        while done[0] < len(bounds) and len(results) >= bounds[done[0]]:
            done[0] += 1
            if progress:
                progress(done[0], len(runnable))

    from .limits import available_cpus

    workers = max(1, min(jobs if jobs is not None else available_cpus(), len(flat) or 1))
    for_each_result(_call, flat, consume, jobs=workers)
    rows, start = [], 0
    for case, tasks in plan:
        mine = results[start:start + len(tasks)]
        start += len(tasks)
        engine = mine[:case.replications]
        rows.extend(evaluate_case(case, engine, mine[case.replications:]))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.attrs["skipped"] = skipped
    return table


def tolerance_notes(cases: Sequence[Case]) -> list[dict]:
    """Why each check's tolerance is what it is (for ``run.json``): ``case, reference, why``."""
    little = (f"{LITTLE_TOLERANCE:.1%} of the reference, on the paired interval of the replication-wise "
              "differences between the queue-length trajectory and arrival rate x mean wait")
    notes = []
    for case in cases:
        notes.extend({"case": case.name, "reference": k.reference, "why": k.why} for k in case.checks)
        if _watched(case):
            notes.append({"case": case.name, "reference": LITTLE_REFERENCE, "why": little})
    return notes


def failing_cases(table: pd.DataFrame) -> list[str]:
    """Names of the cases with at least one failed check, in table order."""
    return list(dict.fromkeys(table.loc[~table["passed"].astype(bool), "case"]))


# ---------------------------------------------------------------------------------------
# Outputs

PASS_COLOUR = BASELINE_COLOUR  # Okabe-Ito blue
FAIL_COLOUR = "#D55E00"  # Okabe-Ito vermillion
ALLOWANCE_COLOUR = "#56B4E9"  # Okabe-Ito sky blue
RATIO_LIMITS = (0.7, 1.3)
"""The chart's axis: simulated / reference from 0.7 to 1.3 (beyond: arrows at the edge)."""


def _short_label(case: Case | None, row: pd.Series) -> str:
    """``case: quantity`` for the chart, e.g. ``M/M/3 ρ=0.85: Wq``."""
    return _label_text(case, row).replace("rho=", "\u03c1=")


def _label_text(case: Case | None, row: pd.Series) -> str:
    if row["kind"] == "little":
        return f"{row['case']}: Little's law"
    if case is not None:
        for check in case.checks:
            if check.reference == row["reference"] and np.isclose(check.reference_value, row["reference_value"]):
                return f"{row['case']}: {check.short}"
        for check in case.checks:
            if check.reference == row["reference"]:
                return f"{row['case']}: {check.short}"
    return f"{row['case']}: {row['reference']}"


def finding(table: pd.DataFrame) -> str:
    """The chart's title: how many *gating* checks agree (information-only checks are not counted)."""
    gating = table["gating"].astype(bool) if "gating" in table else pd.Series(True, index=table.index)
    passed = table["passed"].astype(bool)
    n, ok = int(gating.sum()), int((passed & gating).sum())
    info = len(table) - n
    more = f" (+{info} for information only)" if info else ""
    if ok == n:
        return f"{ok} of {n} gating checks agree{more}"
    return f"{n - ok} of {n} gating checks disagree{more}"


def validation_chart(table: pd.DataFrame, cases: Sequence[Case] | None = None) -> Figure:
    """Every check as simulated / reference with its 99 % interval, the allowance and the verdict.

    One row per row of ``table`` (``validation.csv``), grouped by section (Erlang C,
    Pollaczek–Khinchine, ...). The dark bar is the 99 % confidence interval of the simulated
    mean, divided by the reference, the light ends the allowance; the check passes when
    this reaches the line at 1 (filled blue dot) and fails otherwise (vermillion cross).
    Ratios beyond :data:`RATIO_LIMITS` are drawn at the edge (the mean as an arrow).
    """
    by_name = {c.name: c for c in (CASES if cases is None else cases)}
    groups = [by_name[c].group if c in by_name else "Other" for c in table["case"]]
    labels = [_short_label(by_name.get(c), row) for c, (_, row) in zip(table["case"], table.iterrows())]
    # Layout: one row per check, a header row per section.
    ys, headers, y = [], [], 0.0
    previous = None
    for g in groups:
        if g != previous:
            headers.append((y, g))
            y += 1.15
            previous = g
        ys.append(y)
        y += 1.0
    n_lines = y
    row_in = 0.2
    fig = Figure(figsize=(WIDTH, 1.6 + row_in * n_lines), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    lo_lim, hi_lim = RATIO_LIMITS
    ax.axvline(1.0, color=INK, linewidth=1.2, zorder=1)
    ref = table["reference_value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = table["simulated_mean"].to_numpy(dtype=float) / ref
        low = table["ci_low"].to_numpy(dtype=float) / ref
        high = table["ci_high"].to_numpy(dtype=float) / ref
        tol = table["tolerance"].to_numpy(dtype=float) / np.abs(ref)
    passed = table["passed"].astype(bool).to_numpy()
    gates = (table["gating"].astype(bool).to_numpy() if "gating" in table else np.ones(len(table), dtype=bool))
    clip = np.clip
    for k, yk in enumerate(ys):
        colour = PASS_COLOUR if passed[k] else FAIL_COLOUR
        if np.isfinite(low[k]) and np.isfinite(high[k]):
            a, b = clip(low[k] - tol[k], lo_lim, hi_lim), clip(high[k] + tol[k], lo_lim, hi_lim)
            ax.plot([a, b], [yk, yk], color=ALLOWANCE_COLOUR if passed[k] else FAIL_COLOUR,
                    alpha=1.0 if passed[k] else 0.35, linewidth=5, solid_capstyle="butt", zorder=2,
                    gid=f"allowance/{k}")
            ax.plot([clip(low[k], lo_lim, hi_lim), clip(high[k], lo_lim, hi_lim)], [yk, yk], color=colour,
                    linewidth=2.2, solid_capstyle="butt", zorder=3, gid=f"ci/{k}")
        m = mean[k]
        if np.isfinite(m):
            marker = ("o" if gates[k] else "D") if passed[k] else "X"
            if m < lo_lim or m > hi_lim:  # off the axis: an arrow at the edge, and the ratio in words
                marker = "<" if m < lo_lim else ">"
                ax.text(lo_lim + 0.012 if m < lo_lim else hi_lim - 0.012, yk, f"{m:.2f}", color=colour,
                        ha="left" if m < lo_lim else "right", va="center", fontsize=TICK_SIZE, fontweight="bold")
            hollow = passed[k] and not gates[k]
            ax.plot([clip(m, lo_lim, hi_lim)], [yk], marker=marker, color="white" if hollow else colour,
                    markersize=6 if passed[k] else 8,
                    markeredgecolor=colour if hollow or not passed[k] else "white",
                    zorder=4, linestyle="none", gid=f"mean/{k}")
    ax.set_yticks(ys, labels)
    for tick, ok in zip(ax.get_yticklabels(), passed):
        tick.set_fontsize(TICK_SIZE)
        if not ok:
            tick.set_color(FAIL_COLOUR)
            tick.set_fontweight("bold")
    for yh, g in headers:
        ax.text(0.0, yh + 0.15, g, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize=LABEL_SIZE, fontweight="bold", color=INK)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(n_lines - 0.4, -0.8)
    ax.set_xlim(lo_lim - 0.02, hi_lim + 0.02)
    ticks = np.arange(lo_lim, hi_lim + 1e-9, 0.1)
    ax.set_xticks(ticks, [f"{t:.1f}" for t in ticks])
    ax.tick_params(axis="x", labeltop=True, top=True)
    ax.set_xlabel("simulated / reference (1 = agreement)", fontsize=LABEL_SIZE)
    title = finding(table)
    fig.set_label(title)
    fig.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold")
    handles = [
        Line2D([], [], marker="o", color=PASS_COLOUR, markeredgecolor="white", linestyle="none", markersize=7),
        Line2D([], [], color=PASS_COLOUR, linewidth=2.2),
        Line2D([], [], color=ALLOWANCE_COLOUR, linewidth=5),
        Line2D([], [], marker="D", color="white", markeredgecolor=PASS_COLOUR, linestyle="none", markersize=6),
        Line2D([], [], marker="X", color=FAIL_COLOUR, linestyle="none", markersize=8),
    ]
    names = ["simulated mean (passed)", "99 % confidence interval", "allowance (tolerance)",
             f"information only (allowance > {GATING_SHARE:.0%})", "failed check"]
    fig.legend(handles, names, loc="outside lower center", ncols=3, frameon=False, fontsize=LEGEND_SIZE)
    return fig


def write_validation(folder: Path, table: pd.DataFrame, run_info: dict, cases: Sequence[Case] | None = None) -> None:
    """Write ``validation.csv``, ``validation.png`` and ``run.json`` into ``folder``."""
    import json

    from .export import STAT_FLOAT

    folder = Path(folder)
    table[COLUMNS].to_csv(folder / "validation.csv", index=False, float_format=STAT_FLOAT)
    save_figure(validation_chart(table, cases), folder / "validation.png")
    (folder / "run.json").write_text(json.dumps(run_info, indent=2) + "\n", encoding="utf-8")


def _theory_summary() -> str:  # pragma: no cover - a developer's aid
    """Every check's reference and tolerance, without simulating (``python -m simulation.validation``)."""
    lines = [f"{c.name:<40} {k.reference:<45} {k.reference_value:10.4f} ± {k.tolerance:.4f}"
             for c in CASES for k in c.checks]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(_theory_summary())
    print(f"{len(CASES)} cases, {sum(c.quick for c in CASES)} quick; "
          f"about {sum(c.per_hour / 60 * DAY * c.days * c.replications for c in CASES) / 1e6:.1f} M citizens")
