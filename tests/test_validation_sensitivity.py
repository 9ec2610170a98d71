"""Does ``loket validate --quick`` notice a broken engine? (issue 21)

Each test breaks the engine on purpose, in this process, and runs the quick suite's cases
(``jobs=1``, so the patch is in force) until one fails a *gating* check. A perturbation that
every quick case lets through fails the test: the suite would have been blind to it.

The perturbations are small named functions applied to each :class:`simulation.model.Office`
right after it is built; if engine internals are renamed, only these functions change.
"""

import dataclasses
import math

import numpy as np
import pytest

from simulation import model, validation


def service_plus_3_percent(office):
    office._service = [x * 1.03 for x in office._service]


def patience_plus_10_percent(office):
    if office._patience is not None:
        office._patience = [p * 1.10 for p in office._patience]


def priority_reversed(office):
    if office._priority is not None:
        office._priority = [-p for p in office._priority]


def breaks_ignored(office):
    cal = office.calendar
    office.calendar = dataclasses.replace(cal, breaks=tuple(() for _ in range(cal.days)))


def closing_ignored(office):
    office.turn_away = False  # those waiting at closing are served instead of sent home


def returns_dropped(office):
    office._returns = False


def recall_ignored(office):
    office._recall_at = None


def roster_ignored(office):
    plan = office.plan
    hourly = plan.hourly_onsite
    everyone = np.repeat(hourly.max(axis=1, keepdims=True), hourly.shape[1], axis=1)  # `staff` all day
    office.plan = dataclasses.replace(plan, hourly_onsite=everyone)


def quota_ignored(office):
    if office._rules is not None:
        office._rules = dataclasses.replace(office._rules, quota=[math.inf] * len(office._rules.quota))


PERTURBATIONS = {
    "service time +3 %": service_plus_3_percent,
    "patience +10 %": patience_plus_10_percent,
    "priority reversed": priority_reversed,
    "breaks ignored": breaks_ignored,
    "closing ignored": closing_ignored,
    "returns dropped": returns_dropped,
    "recall ignored": recall_ignored,
    "roster ignored": roster_ignored,
    "quota ignored": quota_ignored,
}


def _break_engine(monkeypatch, change):
    built = model.Office.__init__

    def broken(self, *args, **kwargs):
        built(self, *args, **kwargs)
        change(self)

    monkeypatch.setattr(model.Office, "__init__", broken)


def _cost(case):
    """Rough simulated minutes of a case: the cheap cases are tried first (the order changes nothing else)."""
    return case.replications * case.days * (case.office is None and 1440 or 480)


def _first_gating_failure(cases):
    for case in sorted(cases, key=_cost):
        table = validation.run_validation([case], jobs=1)
        failed = table[table["gating"] & ~table["passed"]]
        if len(failed):
            return failed
    return None


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_quick_suite_fails_on_a_broken_engine(monkeypatch, name):
    pytest.importorskip("ciw")  # the quick suite includes the Ciw case
    _break_engine(monkeypatch, PERTURBATIONS[name])
    failed = _first_gating_failure(validation.select_cases(quick=True))
    assert failed is not None, f"every quick case passes with the engine broken: {name}"


def test_the_unbroken_engine_passes_the_cases_that_catch_the_perturbations():
    # The other side: the same cases pass when nothing is broken (otherwise the tests above prove nothing).
    cases = [c for c in validation.select_cases(quick=True) if c.reference_model == "office"]
    table = validation.run_validation(cases, jobs=1)
    assert table["passed"].all(), table[~table["passed"]]
