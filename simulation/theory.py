"""Queueing theory the simulation is checked against, and staffing first guesses.

Rates are per minute, times in minutes. ``lam`` is the arrival rate, ``mu`` the service
rate of one officer (1 / mean service time), ``c`` the number of staffed counters.

* Erlang C — M/M/c: probability of waiting, mean wait, waiting-time distribution.
* Pollaczek–Khinchine — M/G/1: mean wait from the first two moments of service time.
* Erlang A — M/M/c+M: citizens who give up after an exponential patience, solved
  exactly as a birth–death chain.
* Cobham — M/M/c with non-preemptive priority classes (the same service rate for all):
  the mean wait of each class.
* M/M/c/K — a queue that holds at most ``K`` citizens (``K - c`` waiting; the rest balk):
  the probability of being turned back and the mean wait of those who join.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "erlang_b",
    "erlang_c",
    "mmc_mean_wait",
    "mmc_mean_queue_length",
    "mmc_wait_cdf",
    "mg1_mean_wait",
    "erlang_a",
    "cobham_mmc_waits",
    "mmck",
    "min_staff_for_target",
]


def _check(lam: float, mu: float, c: int) -> float:
    if lam < 0 or mu <= 0 or c < 1:
        raise ValueError("need lam >= 0, mu > 0, c >= 1")
    return lam / mu


def erlang_b(a: float, c: int) -> float:
    """Blocking probability of M/M/c/c with offered load ``a`` (stable recursion)."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(lam: float, mu: float, c: int) -> float:
    """Probability that an arriving citizen has to wait (M/M/c, requires lam < c*mu)."""
    a = _check(lam, mu, c)
    if a >= c:
        return 1.0
    b = erlang_b(a, c)
    return c * b / (c - a * (1 - b))


def mmc_mean_wait(lam: float, mu: float, c: int) -> float:
    """Mean time in queue (before service) in M/M/c; ``inf`` when overloaded."""
    a = _check(lam, mu, c)
    if a >= c:
        return math.inf
    return erlang_c(lam, mu, c) / (c * mu - lam)


def mmc_mean_queue_length(lam: float, mu: float, c: int) -> float:
    """Mean number waiting in M/M/c (Little's law: lam * mean wait)."""
    return lam * mmc_mean_wait(lam, mu, c)


def mmc_wait_cdf(t, lam: float, mu: float, c: int):
    """P(wait <= t) in M/M/c: ``1 - C * exp(-(c*mu - lam) t)``."""
    pw = erlang_c(lam, mu, c)
    return 1.0 - pw * np.exp(-(c * mu - lam) * np.asarray(t, dtype=float))


def mg1_mean_wait(lam: float, mean_service: float, var_service: float) -> float:
    """Pollaczek–Khinchine mean wait of M/G/1: ``lam E[S^2] / (2 (1 - rho))``."""
    rho = lam * mean_service
    if rho >= 1:
        return math.inf
    return lam * (var_service + mean_service**2) / (2 * (1 - rho))


def erlang_a(lam: float, mu: float, c: int, theta: float, tol: float = 1e-14) -> dict:
    """M/M/c+M (Erlang A): exponential patience with rate ``theta`` (1 / mean patience).

    Solved exactly as the birth–death chain of the number of citizens present, truncated
    where the stationary probability is negligible. Returns a dict with ``p_wait``
    (probability of having to wait), ``p_abandon`` (probability of giving up),
    ``mean_wait`` (mean time in queue over all arrivals, served or not),
    ``mean_wait_served`` (mean wait of those served) and ``mean_queue_length``.
    """
    _check(lam, mu, c)
    if theta <= 0:
        raise ValueError("theta must be > 0 (use Erlang C without abandonment)")
    # Unnormalised log-probabilities p_n = p_{n-1} * lam / death_n.
    logs = [0.0]
    n = 0
    while True:
        n += 1
        death = min(n, c) * mu + max(n - c, 0) * theta
        logs.append(logs[-1] + math.log(lam / death) if lam > 0 else -math.inf)
        if n > c and logs[-1] - max(logs) < math.log(tol):
            break
    logp = np.array(logs)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    states = np.arange(len(p))
    queue = np.maximum(states - c, 0)
    lq = float((queue * p).sum())
    p_wait = float(p[c:].sum())
    p_abandon = theta * lq / lam if lam > 0 else 0.0
    mean_wait = lq / lam if lam > 0 else 0.0
    # A citizen who finds n = c + j present joins at position j + 1. At position q the
    # race is: the queue ahead moves (a service ends, rate c*mu, or one of the q - 1 ahead
    # gives up, rate (q - 1) theta) against the citizen giving up (rate theta). Sojourns
    # are exponential with rate c*mu + q*theta, independent of which event ends them.
    served_prob = float(p[:c].sum())
    served_wait = 0.0
    for j in range(len(p) - c):
        q = np.arange(1, j + 2)
        r = c * mu + q * theta
        survive = float(np.prod((c * mu + (q - 1) * theta) / r))
        served_prob += p[c + j] * survive
        served_wait += p[c + j] * survive * float((1.0 / r).sum())
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "mean_wait": mean_wait,
        "p_served": served_prob,
        "mean_wait_served": served_wait / served_prob if served_prob > 0 else 0.0,
        "mean_queue_length": lq,
    }


def cobham_mmc_waits(lams, mu: float, c: int) -> list[float]:
    """Mean wait of each class in M/M/c with non-preemptive priority (Cobham 1954).

    ``lams`` are the arrival rates of the classes, highest priority first; every class has
    service rate ``mu``. With ``sigma_k`` the load of classes ``1..k`` per counter,
    ``W_k = (C(c, a) / (c mu)) / ((1 - sigma_{k-1}) (1 - sigma_k))``, where ``C`` is the
    Erlang C probability of waiting at the total offered load ``a = sum(lams) / mu``: a
    citizen waits for the work already in front of them at their own or a higher priority,
    plus everyone of higher priority who arrives while they wait.
    """
    lams = [float(x) for x in lams]
    total = sum(lams)
    _check(total, mu, c)
    if total >= c * mu:
        return [math.inf] * len(lams)
    w0 = erlang_c(total, mu, c) / (c * mu)
    waits, sigma = [], 0.0
    for lam in lams:
        before = sigma
        sigma += lam / (c * mu)
        waits.append(w0 / ((1 - before) * (1 - sigma)) if sigma < 1 else math.inf)
    return waits


def mmck(lam: float, mu: float, c: int, k: int) -> dict:
    """M/M/c/K: ``c`` counters and room for ``K - c`` waiting; an arrival who finds ``K`` present is lost.

    Returns ``p_block`` (share of arrivals turned back, by PASTA the probability of ``K``
    present), ``mean_queue_length`` and ``mean_wait`` (of those who join the queue, by
    Little's law over the admitted rate ``lam (1 - p_block)``), from the exact stationary
    distribution of the birth–death chain (any load; ``K >= c``).
    """
    a = _check(lam, mu, c)
    if k < c:
        raise ValueError("need K >= c")
    logs = []
    for n in range(k + 1):
        if n <= c:
            logs.append(n * math.log(a) - math.lgamma(n + 1) if a > 0 else (0.0 if n == 0 else -math.inf))
        else:
            logs.append(logs[c] + (n - c) * math.log(a / c))
    logp = np.array(logs)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    n = np.arange(k + 1)
    lq = float((np.maximum(n - c, 0) * p).sum())
    p_block = float(p[k])
    admitted = lam * (1 - p_block)
    return {"p_block": p_block, "mean_queue_length": lq, "mean_wait": lq / admitted if admitted > 0 else 0.0}


def min_staff_for_target(lam: float, mu: float, target_wait: float, share: float = 0.9) -> int:
    """Fewest counters with P(wait <= target_wait) >= share in M/M/c (Erlang C)."""
    if lam <= 0:
        return 0
    c = max(1, math.floor(lam / mu) + 1)
    while float(mmc_wait_cdf(target_wait, lam, mu, c)) < share:
        c += 1
    return c
