"""``loket validate``: does the engine tell the truth?

A planner who quotes "half the counters at home means 30 minutes' more wait" is trusting the
simulator. This module lets anyone check that trust in a few minutes, on their own machine,
with the same engine that produced the numbers: it runs small offices whose answer is known
and compares the simulation with that answer.

**Known answers.** Two kinds:

* *queueing theory* — for offices simple enough to have exact formulas: Erlang C (the mean
  wait in M/M/c, over a grid of counters c = 1..10 and loads 0.5..0.95),
  Pollaczek–Khinchine (M/D/1 and M/G/1 with gamma and lognormal service), Erlang A
  (M/M/c+M: citizens who give up after an exponential patience; the share who give up and
  the mean wait of everyone who arrived), and Jackson networks (stations in series, and a
  branching route that merges again, where each station behaves as an M/M/c queue at its own
  arrival rate). On top of those, Little's law, checked on every case: the time-average
  number of citizens waiting must equal the arrival rate times the mean wait of all
  arrivals, both measured in the same simulation;
* *published field studies* of Indonesian public-service queues — RSUP Dr. Kariadi (H2),
  RSUD Pinrang (H3), Disdukcapil Kuningan (D2) and Disdukcapil Sigi (D1) — re-simulated at
  the parameters the papers report (or, where they report only results, parameters
  back-solved from them). Each reference value is labelled as *printed in the paper* (only
  these are called "published") or *computed by Loket from the paper's inputs* (the Kariadi
  paper prints its rates and load but no mean wait, so its reference wait is Loket's Erlang C;
  docs/sources.md §1). Each such case is also checked against Erlang C at the same parameters,
  with the statistical tolerance.

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
* for Little's law, 1 % of the reference, and the interval is the *paired* one over the
  replication-wise differences (queue length minus arrival rate x mean wait), a much
  sharper test; the allowance covers the one thing that legitimately separates them in a
  finite run: waits still under way when the run ends count in full in the mean wait but
  are cut at the end in the queue-length integral;
* against a published table, the rounding of the printed number (half a unit in its last
  digit) plus the most the formula's answer moves when the parameters vary within their own
  rounding (or back-solving) — computed, not guessed, by :func:`rounding_allowance`. The
  reference is the published number itself; each check's ``why`` states its allowance.

A correct engine passes each check except with well under 1 % probability; an engine that is
wrong by more than the allowance plus the interval fails it. Seeds are fixed (default
:data:`DEFAULT_SEED`; each case derives its own seed from it and its name), so the verdict is
reproducible, and since every replication depends only on the scenario, the seed and its
number, ``validation.csv`` is byte-identical whatever the number of worker processes.

**Cost.** Heavy traffic is expensive to pin down: at 95 % load a queue remembers its past for
about a thousand arrivals, so those cases run tens of thousands of citizens per replication,
and their intervals are still about ±10-15 % wide (at load 0.5-0.85, ±3-10 %). The full
suite simulates about 19 million visits (a few minutes on two cores); ``--quick`` is six
cheap cases (the same cases, seeds and numbers as in the full suite) for continuous
integration.

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
from .charts import BASELINE_COLOUR, DPI, INK, LABEL_SIZE, LEGEND_SIZE, TICK_SIZE, TITLE_SIZE, WIDTH, save_figure
from .runner import Results, run_scenario
from .scenario import Scenario, parse_scenario
from .summary_stats import t_interval

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
LITTLE_TOLERANCE = 0.01
"""Allowance for Little's law, relative: waits cut at the end of the run in the queue-length integral."""
DAY = 1440

COLUMNS = ["case", "kind", "reference", "reference_value", "simulated_mean", "ci_low", "ci_high", "tolerance",
           "passed"]
"""Columns of ``validation.csv``, in order."""

KINDS = ("erlang_c", "pollaczek_khinchine", "erlang_a", "jackson", "little", "field_study")

LITTLE_REFERENCE = "Little's law: arrival rate x mean wait (simulated)"


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

    def scenario_dict(self, seed: int) -> dict:
        """The scenario (as a dict for :func:`simulation.parse_scenario`) run with ``seed``."""
        return {
            "name": "validation",
            "description": self.description,
            "run": {"days": self.days, "open": "00:00", "close": "24:00", "after_close": "serve",
                    "replications": self.replications, "seed": seed,
                    "warmup_minutes": float(self.warmup_days * DAY)},
            "stations": [dict(s) for s in self.stations],
            "arrivals": [{"station": self.first_station or self.stations[0]["name"], "per_hour": self.per_hour}],
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
                days=days, warmup_days=warm, quick=(c, rho) in quick,
            ))
    return cases


def _pk_cases() -> list[Case]:
    """M/D/1 and M/G/1 (gamma, lognormal) against Pollaczek–Khinchine, 60 arrivals/hour."""
    specs = [
        ("M/D/1 rho=0.8", {"dist": "deterministic", "mean": 0.8}, 0.8, 0.0, 16, True),
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
    specs = [("M/M/3+M rho=1.0", 3, 3.0, 5.0, True), ("M/M/1+M rho=1.2", 1, 1.2, 3.0, False)]
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
    return cases


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
        days=12, warmup_days=2, quick=True,
    ))
    return cases


def _published(reference: str, quantity: str, value: float, tolerance: float, why: str, short: str) -> Check:
    return Check("field_study", reference, quantity, "desk", value, tolerance, why, short)


def _field_cases() -> list[Case]:
    """The published field studies, re-simulated."""
    cases = []
    wq = theory.mmc_mean_wait

    # H2: RSUP Dr. Kariadi registration counter. lam, mu printed to 4 decimals; the paper prints no
    # mean wait: 3.2 min is Erlang C at its rates (3.16), computed by Loket (docs/sources.md §1.3).
    lam, mu = 0.8222, 0.5211
    tol = rounding_allowance(lambda lam, mu: wq(lam, mu, 2), {"lam": lam, "mu": mu},
                             {"lam": 0.00005, "mu": 0.00005}, 0.05)
    cases.append(Case(
        name="H2 RSUP Dr. Kariadi M/M/2", group="Field studies",
        description=("RSUP Dr. Kariadi registration (H2): M/M/2, lambda = 0.8222/min, mu = 0.5211/min and "
                     "rho = 0.789 printed in the paper; Wq = 3.2 min computed by Loket from them (Erlang C)"),
        stations=({"name": "desk", "staff": 2, "service": _exp(1 / mu)},), per_hour=lam * 60,
        checks=(
            _published("Wq computed by Loket from the paper's inputs (min)", "mean_wait", 3.2, tol,
                       "3.2 is Erlang C at the paper's rates (3.16) rounded to 0.1 min (±0.05); lambda, mu printed "
                       "to 4 decimals move Erlang C by < 0.001 min", "Wq, computed from the paper"),
            _erlang_c_wait("desk", lam, 1 / mu, 2, short="Wq, Erlang C"),
        ),
        days=16, quick=True,
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
                                                      ("B", 2, 0.45, 1.0, 1.13, True),
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


CASES: tuple[Case, ...] = tuple(_mmc_grid() + _pk_cases() + _erlang_a_cases() + _jackson_cases() + _field_cases())
"""The full suite, in report order; ``quick`` marks the ``--quick`` subset."""


def select_cases(quick: bool = False) -> list[Case]:
    """The cases of the suite (``quick``: only the ``--quick`` subset)."""
    return [c for c in CASES if c.quick or not quick]


def case_seed(seed: int, name: str) -> int:
    """A case's own seed, derived from the suite's ``seed`` and the case's ``name``.

    Different cases get independent random numbers, and a case gets the same numbers in
    the quick and the full suite.
    """
    state = np.random.SeedSequence(seed, spawn_key=(zlib.crc32(name.encode("utf-8")),)).generate_state(1)
    return int(state[0])


def case_scenario(case: Case, seed: int = DEFAULT_SEED) -> Scenario:
    """The case's scenario, with the case's seed derived from ``seed``."""
    return parse_scenario(case.scenario_dict(case_seed(seed, case.name)), source=f"validation case {case.name!r}")


# ---------------------------------------------------------------------------------------
# Evaluation


def replication_table(results: Results) -> pd.DataFrame:
    """Per replication and station, everything the checks need.

    Columns: ``replication, station, arrived, mean_wait`` (served visits, as the engine
    reports it), ``mean_wait_all`` and ``wait_sum`` (all arrivals, those who gave up
    included, until served or gone), ``p_abandon``, ``mean_queue_length``, ``in_system``
    (waiting plus ``utilization x staff`` being served), ``arrival_rate`` (per minute) and
    ``window`` (minutes measured: the run after the warm-up).
    """
    sc = results.scenario
    warmup = sc.run.warmup_minutes
    window = sc.run.days * DAY - warmup
    reps = results.replications
    reps = reps[reps["policy"] == sc.baseline][["replication", "station", "arrived", "reneged", "mean_wait",
                                               "utilization", "mean_queue_length"]].copy()
    reps["station"] = reps["station"].astype(str)
    v = results.visits
    v = v[(v["policy"] == sc.baseline) & (v["arrival"] >= warmup) & (v["outcome"] != "online")]
    waits = (pd.DataFrame({"replication": v["replication"].to_numpy(), "station": v["station"].astype(str).to_numpy(),
                           "wait": v["wait"].to_numpy()})
             .groupby(["replication", "station"])["wait"].agg(wait_sum="sum", mean_wait_all="mean").reset_index())
    table = reps.merge(waits, on=["replication", "station"], how="left")
    table["wait_sum"] = table["wait_sum"].fillna(0.0)
    staff = {s.name: s.staff for s in sc.stations}
    table["p_abandon"] = table["reneged"] / table["arrived"].where(table["arrived"] > 0)
    table["in_system"] = table["mean_queue_length"] + table["utilization"] * table["station"].map(staff)
    table["arrival_rate"] = table["arrived"] / window
    table["window"] = window
    return table.sort_values(["replication", "station"], kind="stable").reset_index(drop=True)


def _row(case: str, kind: str, reference: str, reference_value: float, mean: float, low: float, high: float,
         tolerance: float) -> dict:
    ok = bool(np.isfinite([reference_value, low, high, tolerance]).all()
              and low - tolerance <= reference_value <= high + tolerance)
    return {"case": case, "kind": kind, "reference": reference, "reference_value": float(reference_value),
            "simulated_mean": float(mean), "ci_low": float(low), "ci_high": float(high),
            "tolerance": float(tolerance), "passed": ok}


def evaluate_check(case_name: str, check: Check, table: pd.DataFrame) -> dict:
    """One row of ``validation.csv``: the check's quantity over replications against its reference.

    Parameters
    ----------
    case_name : str
        Names the row.
    check : Check
        What is checked, against what, with which tolerance.
    table : pandas.DataFrame
        :func:`replication_table` of the case's simulation.

    Returns
    -------
    dict
        The row (:data:`COLUMNS`): the mean over replications with its 99 % t-interval, and
        ``passed`` — whether the reference lies in ``[ci_low - tolerance, ci_high + tolerance]``.
    """
    values = table.loc[table["station"] == check.station, check.quantity]
    if values.empty:
        raise KeyError(f"case {case_name!r}: no station {check.station!r} in the simulation")
    mean, low, high = t_interval(values, CONFIDENCE)
    return _row(case_name, check.kind, check.reference, check.reference_value, mean, low, high, check.tolerance)


def little_row(case_name: str, table: pd.DataFrame) -> dict:
    """Little's law on all stations of a case together, as a paired check.

    Per replication, ``L`` is the time-average number waiting (the engine's
    ``mean_queue_length``, summed over stations) and ``lambda W`` the arrival rate times the
    mean wait of all arrivals (summed over stations: total waiting time / minutes measured).
    The row's reference is the mean of ``lambda W``, its simulated mean that of ``L``, and its
    interval ``mean(L) ± h`` where ``h`` is the half-width of the 99 % t-interval of the
    replication-wise differences ``L - lambda W`` — so it passes exactly when the paired
    interval of the difference, widened by the tolerance, covers zero.
    """
    per_rep = table.groupby("replication").agg(L=("mean_queue_length", "sum"), wait_sum=("wait_sum", "sum"),
                                               window=("window", "first"))
    lw = per_rep["wait_sum"] / per_rep["window"]
    mean_l = float(per_rep["L"].mean())
    _, d_low, d_high = t_interval(per_rep["L"] - lw, CONFIDENCE)
    half = (d_high - d_low) / 2
    ref = float(lw.mean())
    return _row(case_name, "little", LITTLE_REFERENCE, ref, mean_l, mean_l - half, mean_l + half,
                LITTLE_TOLERANCE * abs(ref))


def evaluate_case(case: Case, results: Results) -> list[dict]:
    """Rows of ``validation.csv`` for a simulated case: each of its checks, then Little's law."""
    table = replication_table(results)
    return [evaluate_check(case.name, check, table) for check in case.checks] + [little_row(case.name, table)]


def run_case(case: Case, seed: int = DEFAULT_SEED, jobs: int | None = None) -> list[dict]:
    """Simulate a case (``jobs`` worker processes) and evaluate it."""
    return evaluate_case(case, run_scenario(case_scenario(case, seed), jobs=jobs))


def run_validation(cases: Sequence[Case] | None = None, seed: int = DEFAULT_SEED, jobs: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run ``cases`` (default: the full suite) and return ``validation.csv`` as a table.

    ``progress(done, total)`` is called after each case, if given.
    """
    cases = list(CASES if cases is None else cases)
    rows = []
    for i, case in enumerate(cases, 1):
        rows.extend(run_case(case, seed, jobs))
        if progress:
            progress(i, len(cases))
    return pd.DataFrame(rows, columns=COLUMNS)


def tolerance_notes(cases: Sequence[Case]) -> list[dict]:
    """Why each check's tolerance is what it is (for ``run.json``): ``case, reference, why``."""
    little = (f"{LITTLE_TOLERANCE:.0%} of the reference, on the paired interval of the replication-wise "
              "differences: waits still under way at the end of the run are cut in the queue-length integral only")
    notes = []
    for case in cases:
        notes.extend({"case": case.name, "reference": k.reference, "why": k.why} for k in case.checks)
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
    """The chart's title: how many checks agree."""
    n, ok = len(table), int(table["passed"].astype(bool).sum())
    if ok == n:
        return f"{ok} of {n} checks agree with queueing theory and published studies"
    return f"{n - ok} of {n} checks disagree with queueing theory or published studies"


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
            marker = "o" if passed[k] else "X"
            if m < lo_lim or m > hi_lim:  # off the axis: an arrow at the edge, and the ratio in words
                marker = "<" if m < lo_lim else ">"
                ax.text(lo_lim + 0.012 if m < lo_lim else hi_lim - 0.012, yk, f"{m:.2f}", color=colour,
                        ha="left" if m < lo_lim else "right", va="center", fontsize=TICK_SIZE, fontweight="bold")
            ax.plot([clip(m, lo_lim, hi_lim)], [yk], marker=marker, color=colour, markersize=6 if passed[k] else 8,
                    markeredgecolor="white" if passed[k] else colour, zorder=4, linestyle="none", gid=f"mean/{k}")
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
        Line2D([], [], marker="X", color=FAIL_COLOUR, linestyle="none", markersize=8),
    ]
    names = ["simulated mean (passed)", "99 % confidence interval", "allowance (tolerance)", "failed check"]
    fig.legend(handles, names, loc="outside lower center", ncols=2, frameon=False, fontsize=LEGEND_SIZE)
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
