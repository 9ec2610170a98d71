"""Loket: a discrete-event simulator of citizens queueing at public-service counters.

Built for the question Kota Bengkulu's government had to answer: if officers who serve the
public directly work from home, how much longer do citizens wait, and how many go home
unserved? The command line (``loket``) and the notebooks use the same public API:

**Load** a scenario file (validated; :class:`ScenarioError` names the key and the problem)::

    from simulation import load_scenario, run_scenario
    scenario = load_scenario("scenarios/dukcapil_bengkulu.toml")

**Vary** it without editing the file — every variant is validated like the file::

    variant = scenario.with_overrides({"stations.ektp.staff": 4, "calendar.demand.monday": 1.4})
    variant = variant.with_run(replications=100, seed=7)
    variant = variant.with_policies({"full_office": {}, "wfh_ektp": {"wfh_share": {"ektp": 0.5}}})

**Run** it (replications and seed from ``[run]``; ``jobs`` worker processes; only some policies)::

    results = run_scenario(scenario, jobs=2, policies=["wfh_50"])

**Read** the tidy tables, draw the charts, **save** the results folder ``loket run`` writes::

    results.summary, results.comparison, results.citizens, results.visits, results.queue_length
    results.chart("standard_met", lang="en")   # a matplotlib Figure; also results.plot.standard_met()
    results.chart_names()                      # the charts these results have
    results.save("results/try1")               # tables, scenario, run.json, charts, report.html

**Advise**: :func:`sweep` (waits against the share of officers at home) and
:func:`staffing_advice` (fewest officers at the counter meeting the service standard).
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("loket")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"

# The names below are imported when first used (PEP 562), so that ``import simulation`` is
# light: the command line installs its signal handlers before pandas, SciPy and matplotlib load.
_EXPORTS = {
    "parse_shares": ".advice", "staffing_advice": ".advice", "sweep": ".advice",
    "OfficeCalendar": ".calendar", "office_calendar": ".calendar",
    "Citizens": ".citizens", "draw_citizens": ".citizens",
    "CounterPool": ".model", "Office": ".model", "VisitLog": ".model",
    "ReplicationResult": ".runner", "Results": ".runner", "run_replication": ".runner", "run_scenario": ".runner",
    "ArrivalStream": ".scenario", "RunSettings": ".scenario", "Scenario": ".scenario",
    "ScenarioError": ".scenario", "Station": ".scenario", "load_scenario": ".scenario",
    "parse_scenario": ".scenario",
    "replication_stats": ".summary_stats", "summarise": ".summary_stats", "t_interval": ".summary_stats",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "__version__",
    # load
    "load_scenario",
    "parse_scenario",
    "Scenario",
    "ScenarioError",
    "RunSettings",
    "Station",
    "ArrivalStream",
    # run and results (vary: Scenario.with_overrides, Scenario.with_run, Scenario.with_policies)
    "run_scenario",
    "Results",
    # advice
    "sweep",
    "staffing_advice",
    "parse_shares",
    # the engine, for those who build on it
    "Citizens",
    "CounterPool",
    "Office",
    "OfficeCalendar",
    "ReplicationResult",
    "VisitLog",
    "draw_citizens",
    "office_calendar",
    "replication_stats",
    "run_replication",
    "summarise",
    "t_interval",
]
