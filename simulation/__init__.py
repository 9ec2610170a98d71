"""Loket: a discrete-event simulator of citizens queueing at public-service counters.

Built for the question Kota Bengkulu's government had to answer: if officers who serve the
public directly work from home, how much longer do citizens wait, and how many go home
unserved? The public API is what the command line and the notebooks both use::

    from simulation import load_scenario, run_scenario
    scenario = load_scenario("scenarios/dukcapil_bengkulu.toml")
    results = run_scenario(scenario)
    results.summary            # one row per policy x station
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("loket")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"

from .calendar import OfficeCalendar, office_calendar
from .citizens import Citizens, draw_citizens
from .model import CounterPool, Office, VisitLog
from .runner import ReplicationResult, Results, run_replication, run_scenario
from .scenario import ArrivalStream, RunSettings, Scenario, ScenarioError, Station, load_scenario, parse_scenario
from .summary_stats import replication_stats, summarise, t_interval

__all__ = [
    "__version__",
    "ArrivalStream",
    "Citizens",
    "CounterPool",
    "Office",
    "OfficeCalendar",
    "ReplicationResult",
    "Results",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "Station",
    "VisitLog",
    "draw_citizens",
    "load_scenario",
    "office_calendar",
    "parse_scenario",
    "replication_stats",
    "run_replication",
    "run_scenario",
    "summarise",
    "t_interval",
]
