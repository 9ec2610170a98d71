"""Sampled service-time distributions against their declared mean and coefficient of variation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from simulation.distributions import Distribution

parse = TypeAdapter(Distribution).validate_python

CASES = [
    ({"dist": "exponential", "mean": 10.0}, 10.0, 1.0),
    ({"dist": "deterministic", "mean": 4.0}, 4.0, 0.0),
    ({"dist": "lognormal", "mean": 6.0, "cv": 0.5}, 6.0, 0.5),
    ({"dist": "gamma", "mean": 8.0, "cv": 0.6}, 8.0, 0.6),
    ({"dist": "triangular", "min": 2.0, "mode": 3.0, "max": 10.0}, 5.0,
     math.sqrt((4 + 9 + 100 - 6 - 20 - 30) / 18) / 5),
    ({"dist": "uniform", "min": 2.0, "max": 6.0}, 4.0, (4 / math.sqrt(12)) / 4),
    ({"dist": "empirical", "values": [1.0, 2.0, 3.0, 10.0]}, 4.0, math.sqrt(np.var([1, 2, 3, 10])) / 4),
]


@pytest.mark.parametrize("spec, mean, cv", CASES, ids=[c[0]["dist"] for c in CASES])
def test_declared_moments_are_exact(spec, mean, cv):
    d = parse(spec)
    assert d.mean == pytest.approx(mean)
    assert d.cv == pytest.approx(cv)


@pytest.mark.parametrize("spec, mean, cv", CASES, ids=[c[0]["dist"] for c in CASES])
def test_samples_match_declared_mean_and_cv(spec, mean, cv):
    d = parse(spec)
    n = 400_000
    x = d.sample(np.random.default_rng(12345), n)
    assert x.shape == (n,)
    assert (x >= 0).all()
    sd = math.sqrt(d.variance)
    # Sample mean within 5 standard errors; sample cv within 3 % (relative) or 0.005.
    assert abs(x.mean() - mean) <= 5 * sd / math.sqrt(n) + 1e-12
    assert x.std() / x.mean() == pytest.approx(cv, rel=0.03, abs=0.005)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "exponential", "mean": 0},
        {"dist": "exponential", "mean": -1},
        {"dist": "lognormal", "mean": 5},
        {"dist": "gamma", "mean": 5, "cv": 0},
        {"dist": "triangular", "min": 5, "mode": 3, "max": 9},
        {"dist": "uniform", "min": 5, "max": 5},
        {"dist": "empirical", "values": []},
        {"dist": "empirical", "values": [1, -2]},
        {"dist": "exponential", "mean": 5, "sd": 1},
        {"dist": "weibull", "mean": 5},
    ],
)
def test_invalid_parameters_are_rejected(spec):
    with pytest.raises(ValidationError):
        parse(spec)


@settings(max_examples=60, deadline=None)
@given(
    mean=st.floats(0.1, 100),
    cv=st.floats(0.05, 2.0),
    family=st.sampled_from(["lognormal", "gamma"]),
)
def test_mean_cv_families_honour_their_parameters(mean, cv, family):
    # The sampler's parameterisation is checked against the textbook distribution with that
    # mean and cv: half the samples fall below its median (robust even at cv = 2), and the
    # sample mean lies within 6 standard errors of the mean.
    from scipy import stats

    d = parse({"dist": family, "mean": mean, "cv": cv})
    n = 20_000
    x = d.sample(np.random.default_rng(1), n)
    assert (x > 0).all() and np.isfinite(x).all()
    if family == "lognormal":
        sigma2 = math.log1p(cv**2)
        median = math.exp(math.log(mean) - sigma2 / 2)
    else:
        median = stats.gamma.ppf(0.5, 1 / cv**2, scale=mean * cv**2)
    assert abs((x < median).mean() - 0.5) <= 4 * math.sqrt(0.25 / n)
    assert abs(x.mean() - mean) <= 6 * mean * cv / math.sqrt(n)
