"""Fixtures shared across the tests."""

import pytest
from builders import scenario_dict

from simulation import parse_scenario


@pytest.fixture
def small_scenario():
    return parse_scenario(scenario_dict())
