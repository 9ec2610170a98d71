"""What a :class:`~simulation.runner.Results` can do besides holding tables: charts and saving.

:class:`ResultsMethods` is mixed into :class:`simulation.runner.Results`. Its charts come
from the chart registry, :data:`simulation.charts.CHARTS` (every chart of a ``loket run``
folder): a chart registered there is at once ``results.chart(name)``,
``results.plot.<name>()`` and part of ``results.charts()`` and ``results.save()`` — nothing
here names a chart.
"""

from __future__ import annotations

import datetime as _dt
import platform
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .scenario import Scenario

__all__ = ["ChartMethods", "ResultsMethods", "run_chart_names", "run_record"]


def run_chart_names() -> list[str]:
    """Every registered chart of a ``loket run`` folder, in report order (whether or not a given run has it)."""
    from .charts import CHARTS

    return [name for name, spec in CHARTS.items() if spec.kind == "run"]


def _langs(lang: str | Sequence[str] | None, scenario: Scenario) -> list[str]:
    from .strings import check_lang

    langs = [scenario.lang] if lang is None else [lang] if isinstance(lang, str) else list(lang)
    if not langs:
        raise ValueError("lang: give at least one language, 'en' or 'id'")
    for one in langs:
        check_lang(one)
    return list(dict.fromkeys(langs))


class ChartMethods:
    """``results.plot.<chart>(lang=None)``: one method per registered chart, each returning a Figure.

    The methods are the run charts of :data:`simulation.charts.CHARTS`; ``dir(results.plot)``
    lists them (and Tab completes them in Jupyter).
    """

    def __init__(self, results: ResultsMethods):
        self._results = results

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in run_chart_names():
            raise AttributeError(f"no chart named {name!r}; charts are {', '.join(run_chart_names())}")
        from .charts import CHARTS

        results = self._results

        def draw(lang: str | None = None) -> Figure:
            return results.chart(name, lang=lang)

        draw.__name__ = draw.__qualname__ = name
        drawer = CHARTS[name].draw
        inner = getattr(drawer, "__doc__", None)
        draw.__doc__ = (f"The ``{name}`` chart of these results as a matplotlib Figure (``{name}.png`` in a "
                        f"results folder); ``lang``: ``en`` or ``id`` (default: the scenario's).\n\n{inner or ''}")
        return draw

    def __dir__(self) -> list[str]:
        return run_chart_names()

    def __repr__(self) -> str:
        return f"<charts: {', '.join(self._results.chart_names())}>"


class ResultsMethods:
    """Charts, the queue-length series and :meth:`save` for :class:`simulation.runner.Results`."""

    scenario: Scenario
    run_info: dict

    # -- tables -------------------------------------------------------------------------
    @cached_property
    def queue_length(self) -> pd.DataFrame:
        """People waiting at each station through the day, mean over days and replications, with a 95 % band.

        One row per policy, station and time step (10 minutes from opening): ``policy, station,
        label, minute`` (since opening), ``x_hours`` (clock hour as a number), ``mean_queue,
        band_low, band_high`` — the series the ``queue_over_day`` chart draws
        (:func:`simulation.chart_data.queue_over_day_table`).
        """
        from .chart_data import queue_over_day_table

        data = self._chart_data
        return queue_over_day_table(data["visits"], data["summary"], data["scenario"])

    @cached_property
    def _chart_data(self) -> dict:
        from .chart_data import results_data

        return results_data(self, self._run_json())

    # -- charts -------------------------------------------------------------------------
    def chart_names(self) -> list[str]:
        """The charts these results have, in report order (what ``loket run`` would draw).

        Some registered charts need something to show: ``classes`` priority classes,
        ``wait_by_weekday`` more than one simulated day.
        """
        from .charts import chart_names

        return chart_names(self._chart_data)

    def chart(self, name: str, lang: str | None = None) -> Figure:
        """One chart as a matplotlib :class:`~matplotlib.figure.Figure`, drawn from the tables in memory.

        Parameters
        ----------
        name : str
            A chart of :meth:`chart_names`: ``standard_met`` (the headline), ``wait_distribution``,
            ``wait_by_hour``, ``queue_over_day``, ``utilisation``, ``not_served``, ...
        lang : {"en", "id"}, optional
            Language of titles, axes and legends (default: the scenario's ``lang``).

        Returns
        -------
        matplotlib.figure.Figure
            The chart ``loket run`` saves as ``<name>.png`` (shown inline in Jupyter).
        """
        from .charts import draw_chart

        if name not in run_chart_names():
            raise ValueError(f"no chart named {name!r}; charts are {', '.join(run_chart_names())}")
        available = self.chart_names()
        if name not in available:
            raise ValueError(f"these results have no {name!r} chart (nothing to show: it needs priority classes "
                             f"or several days); they have {', '.join(available)}")
        return draw_chart(name, self._chart_data, _langs(lang, self.scenario)[0])

    def charts(self, lang: str | None = None) -> dict[str, Figure]:
        """Every chart these results have (:meth:`chart_names`), by name, as Figures."""
        return {name: self.chart(name, lang) for name in self.chart_names()}

    @property
    def plot(self) -> ChartMethods:
        """One method per chart: ``results.plot.standard_met()``, ``results.plot.wait_by_hour(lang="id")``."""
        return ChartMethods(self)

    # -- saving -------------------------------------------------------------------------
    def _run_json(self, extra: dict | None = None) -> dict:
        """``run.json``: ``extra`` (the command line's) first, then what these results know of their run."""
        info = self.run_info or {}
        known = run_record(self.scenario, command=None, started_utc=info.get("started_utc"),
                           wall_time_seconds=info.get("wall_time_seconds"), jobs=info.get("jobs"),
                           policies=list(info.get("policies") or self.summary["policy"].drop_duplicates()))
        out = dict(extra or {})
        for key, value in known.items():
            out.setdefault(key, value)
        return out

    def save(self, folder: str | Path, lang: str | Sequence[str] | None = None, *,
             run_info: dict | None = None, visits: bool = True, table_format: str = "csv") -> Path:
        """Write the results folder ``loket run`` writes: tables, scenario, ``run.json``, charts and report.

        Parameters
        ----------
        folder : str or Path
            The results folder. Written completely or not at all, and only where ``loket run
            --out`` would write: an existing Loket results folder is replaced (files you added
            are kept), any other non-empty folder is refused
            (:class:`simulation.export.OutputError`).
        lang : str or sequence of str, optional
            ``"en"``, ``"id"`` or both (``["en", "id"]``; the first is the folder's own
            language, the other gets ``report.<lang>.html`` and ``charts/<lang>/``). Default:
            the scenario's ``lang``, as ``loket run``.
        run_info : dict, optional
            Entries for ``run.json`` (the command line gives its command and timing); the rest
            are filled in from the results.
        visits : bool, default True
            False (``loket run --no-visits``): no per-visit table; the charts and report are
            still drawn from the visits, and ``run.json`` says they were not written.
        table_format : {"csv", "parquet"}
            ``"parquet"`` (``--format parquet``, needs pyarrow: ``pip install 'loket[parquet]'``)
            also writes every table as ``<name>.parquet``; visits only as ``visits.parquet``.

        Returns
        -------
        Path
            ``folder``. Files: ``visits.csv``, ``summary.csv``, ``replications.csv``,
            ``comparison.csv``, ``citizens.csv``, ``trips.csv``, ``classes.csv`` (as the
            scenario has them), ``scenario.resolved.toml``, ``scenario.toml`` (the input file,
            headed by a comment naming any overrides; only for a scenario read from a file),
            ``run.json``, one PNG per chart, ``report.html`` and ``summary.md``.
        """
        from .chart_data import load_results
        from .charts import write_charts
        from .export import finish_tables, write_results_folder, write_tables
        from .overrides import origin, source_with_overrides
        from .report import write_report

        langs = _langs(lang, self.scenario)
        info = self._run_json(run_info)
        info["lang"] = langs[0]
        src = origin(self.scenario)

        def write(tmp: Path) -> None:
            write_tables(tmp, self, info, visits=visits)
            if src.raw is not None:
                # The scenario as the planner wrote it, comments included: the report lists its estimates.
                (tmp / "scenario.toml").write_bytes(source_with_overrides(src.raw, src.overrides))
            # The folder's tables as loket report reads them, but the visits from memory: the
            # same values as visits.csv (see chart_data.chart_visit_table), not read back.
            data = load_results(tmp, visits=self._chart_data["visits"])
            jobs = self.run_info.get("jobs") or 1  # the run's worker processes draw the charts too
            for one in langs:
                write_charts(tmp, one, data=data, jobs=jobs)
                write_report(tmp, one, data=data)
            finish_tables(tmp, self, visits=visits, table_format=table_format)

        return write_results_folder(Path(folder), write)

    def __repr__(self) -> str:
        policies = list(self.summary["policy"].drop_duplicates())
        tables = [name for name in ("visits", "replications", "summary", "comparison", "citizens", "trips",
                                    "by_class") if getattr(self, name, None) is not None]
        return (f"<Results of {self.scenario.name!r}: policies {', '.join(policies)}; "
                f"{self.scenario.run.replications} replications x {self.scenario.run.days} days, "
                f"{len(self._chart_data['visits']):,} visits; tables {', '.join(tables)}, queue_length; "
                f"charts: results.chart(name) or results.plot.<name>(), save: results.save(folder)>")


def run_record(scenario: Scenario, *, command: list[str] | None, started_utc: str | None,
               wall_time_seconds: float | None, jobs: int | None = None, scenario_file: str | None = None,
               **extra) -> dict:
    """What ``run.json`` says of every run, whoever ran it (command line, web page, API): Loket's
    and the libraries' versions, the scenario (its file and ``--set`` overrides), seed,
    replications, workers, command and timing; then ``extra`` (scheduler, policies, ...)."""
    import numpy
    import simpy

    from . import __version__
    from .overrides import origin

    src = origin(scenario)
    return {
        "loket_version": __version__,
        "scenario": scenario.name,
        "scenario_file": scenario_file if scenario_file is not None else src.path,
        "overrides": dict(src.overrides),
        "seed": scenario.run.seed,
        "replications": scenario.run.replications,
        "jobs": jobs,
        "command": command,
        "started_utc": started_utc,
        "wall_time_seconds": None if wall_time_seconds is None else round(wall_time_seconds, 3),
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        **extra,
    }


def started_now() -> tuple[str, float]:
    """The start of a run: UTC time as text, and a clock to measure the wall time from."""
    import time

    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), time.perf_counter()


def elapsed(t0: float) -> float:
    import time

    return round(time.perf_counter() - t0, 3)
