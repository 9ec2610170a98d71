"""Time distributions: how long a service takes, how long a citizen is willing to wait.

A distribution is a small, frozen, validated object that knows its exact ``mean`` and
``variance`` (so tests can hold samples against theory) and draws blocks of samples
from a :class:`numpy.random.Generator` it is handed (there is no global random state).

In a scenario file a distribution is an inline table whose ``dist`` key picks the family::

    service = { dist = "exponential", mean = 10.0 }
    service = { dist = "lognormal", mean = 6.0, cv = 0.5 }
    service = { dist = "triangular", min = 2, mode = 4, max = 12 }
    service = { dist = "empirical", values = [3.1, 4.0, 2.7, 5.5] }

All values are minutes, at most a week (:data:`simulation.limits.MAX_MINUTES`); a
coefficient of variation lies between :data:`~simulation.limits.MIN_CV` (below it, use
``deterministic``) and :data:`~simulation.limits.MAX_CV`.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .limits import MAX_CV, MAX_MINUTES, MIN_CV

__all__ = [
    "Distribution",
    "Exponential",
    "Deterministic",
    "Lognormal",
    "Gamma",
    "Triangular",
    "Uniform",
    "Empirical",
]


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @property
    def mean(self) -> float:  # pragma: no cover - every family overrides
        raise NotImplementedError

    @property
    def variance(self) -> float:  # pragma: no cover - every family overrides
        raise NotImplementedError

    @property
    def cv(self) -> float:
        """Coefficient of variation: standard deviation / mean."""
        return math.sqrt(self.variance) / self.mean if self.mean > 0 else 0.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


class Exponential(_Dist):
    """Memoryless times: the M in M/M/c."""

    dist: Literal["exponential"] = "exponential"
    mean_: float = Field(alias="mean", gt=0, le=MAX_MINUTES)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def variance(self) -> float:
        return self.mean_**2

    def sample(self, rng, size):
        return rng.exponential(self.mean_, size)


class Deterministic(_Dist):
    """Every citizen takes exactly ``mean`` minutes (the D in M/D/1)."""

    dist: Literal["deterministic"] = "deterministic"
    mean_: float = Field(alias="mean", ge=0, le=MAX_MINUTES)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def variance(self) -> float:
        return 0.0

    def sample(self, rng, size):
        return np.full(size, float(self.mean_))


class _MeanCv(_Dist):
    """A family given by its mean and coefficient of variation."""

    mean_: float = Field(alias="mean", gt=0, le=MAX_MINUTES)
    cv_: float = Field(alias="cv", ge=MIN_CV, le=MAX_CV)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:
        return self.mean_

    @property
    def variance(self) -> float:
        return (self.mean_ * self.cv_) ** 2


class Lognormal(_MeanCv):
    """Right-skewed times given by their mean and coefficient of variation.

    Fitted service times at Indonesian registration offices are lognormal or gamma
    rather than exponential (see ``docs/sources.md`` §1).
    """

    dist: Literal["lognormal"] = "lognormal"

    def sample(self, rng, size):
        sigma2 = math.log1p(self.cv_**2)
        mu = math.log(self.mean_) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)


class Gamma(_MeanCv):
    """Gamma times given by mean and coefficient of variation (cv = 1 is exponential)."""

    dist: Literal["gamma"] = "gamma"

    def sample(self, rng, size):
        shape = 1.0 / self.cv_**2
        return rng.gamma(shape, self.mean_ / shape, size)


class Triangular(_Dist):
    """Times between a minimum and a maximum, most often near ``mode``."""

    dist: Literal["triangular"] = "triangular"
    min: float = Field(ge=0, le=MAX_MINUTES)
    mode: float = Field(ge=0, le=MAX_MINUTES)
    max: float = Field(ge=0, le=MAX_MINUTES)

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.min <= self.mode <= self.max):
            raise ValueError("needs min <= mode <= max")
        if self.max <= self.min:
            raise ValueError("needs max > min")
        return self

    @property
    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3

    @property
    def variance(self) -> float:
        a, c, b = self.min, self.mode, self.max
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18

    def sample(self, rng, size):
        return rng.triangular(self.min, self.mode, self.max, size)


class Uniform(_Dist):
    """Times spread evenly between ``min`` and ``max``."""

    dist: Literal["uniform"] = "uniform"
    min: float = Field(ge=0, le=MAX_MINUTES)
    max: float = Field(ge=0, le=MAX_MINUTES)

    @model_validator(mode="after")
    def _ordered(self):
        if self.max <= self.min:
            raise ValueError("needs max > min")
        return self

    @property
    def mean(self) -> float:
        return (self.min + self.max) / 2

    @property
    def variance(self) -> float:
        return (self.max - self.min) ** 2 / 12

    def sample(self, rng, size):
        return rng.uniform(self.min, self.max, size)


class Empirical(_Dist):
    """Observed times, resampled with equal weight (a stopwatch study typed in)."""

    dist: Literal["empirical"] = "empirical"
    values: tuple[Annotated[float, Field(ge=0, le=MAX_MINUTES)], ...] = Field(min_length=1)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def variance(self) -> float:
        return float(np.var(self.values))

    def sample(self, rng, size):
        return np.asarray(self.values, dtype=float)[rng.integers(0, len(self.values), size)]


Distribution = Annotated[
    Exponential | Deterministic | Lognormal | Gamma | Triangular | Uniform | Empirical,
    Field(discriminator="dist"),
]
"""Any of the families above, chosen by the ``dist`` key."""
