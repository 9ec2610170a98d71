"""The theory helpers against textbook values and limiting cases."""

import math

import numpy as np
import pytest
from scipy import stats

from simulation import theory


def test_erlang_c_textbook_values():
    # M/M/1: P(wait) = rho; Wq = rho / (mu - lam).
    assert theory.erlang_c(0.5, 1.0, 1) == pytest.approx(0.5)
    assert theory.mmc_mean_wait(0.8, 1.0, 1) == pytest.approx(0.8 / 0.2)
    # M/M/2 with a = 1: P0 = 1/3, C = a^c/(c!(1-rho)) P0 = 1/3.
    assert theory.erlang_c(1.0, 1.0, 2) == pytest.approx(1 / 3)
    assert theory.mmc_mean_wait(1.0, 1.0, 2) == pytest.approx((1 / 3) / (2 - 1))


def test_erlang_c_matches_direct_formula():
    for lam, mu, c in [(2.0, 0.5, 5), (0.8222, 0.5211, 2), (11.3 / 60, 1 / 14.3, 3)]:
        a = lam / mu
        rho = a / c
        top = a**c / math.factorial(c) / (1 - rho)
        direct = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
        assert theory.erlang_c(lam, mu, c) == pytest.approx(direct, rel=1e-12)


def test_reference_study_h2_hospital_counter():
    # RSUP Dr. Kariadi: lam = 0.8222/min, mu = 0.5211/min, c = 2 -> Wq about 3.2 min (shared reference, H2).
    assert theory.mmc_mean_wait(0.8222, 0.5211, 2) == pytest.approx(3.2, abs=0.05)


def test_overloaded_queue_has_infinite_wait():
    assert theory.mmc_mean_wait(3.0, 1.0, 2) == math.inf
    assert theory.mg1_mean_wait(1.0, 1.5, 0.0) == math.inf


def test_pollaczek_khinchine_reduces_to_mm1_and_md1():
    lam, s = 0.07, 10.0
    rho = lam * s
    assert theory.mg1_mean_wait(lam, s, s**2) == pytest.approx(theory.mmc_mean_wait(lam, 1 / s, 1))
    assert theory.mg1_mean_wait(lam, s, 0.0) == pytest.approx(rho * s / (2 * (1 - rho)))


def test_wait_cdf_is_a_distribution():
    t = np.linspace(0, 500, 200)
    f = theory.mmc_wait_cdf(t, 0.25, 0.1, 3)
    assert f[0] == pytest.approx(1 - theory.erlang_c(0.25, 0.1, 3))
    assert np.all(np.diff(f) >= 0) and f[-1] == pytest.approx(1.0, abs=1e-6)


def test_erlang_a_is_consistent():
    lam, mu, c, theta = 1.3, 0.3, 3, 0.1
    r = theory.erlang_a(lam, mu, c, theta)
    # Every arrival is either served or abandons: p_served comes from the race of each
    # waiting position, p_abandon from the stationary queue length, two independent ways.
    assert r["p_served"] + r["p_abandon"] == pytest.approx(1.0, abs=1e-9)
    # The stationary distribution solved here by brute force (truncated generator, pi Q = 0):
    # queue length, and the served throughput equal to mu x mean busy officers.
    n = c + 400
    q = np.zeros((n, n))
    for k in range(n):
        if k + 1 < n:
            q[k, k + 1] = lam
        if k > 0:
            q[k, k - 1] = min(k, c) * mu + max(k - c, 0) * theta
        q[k, k] = -q[k].sum()
    a = np.vstack([q.T, np.ones(n)])
    pi = np.linalg.lstsq(a, np.r_[np.zeros(n), 1.0], rcond=None)[0]
    states = np.arange(n)
    assert r["mean_queue_length"] == pytest.approx(float((np.maximum(states - c, 0) * pi).sum()), rel=1e-6)
    assert r["p_served"] == pytest.approx(mu * float((np.minimum(states, c) * pi).sum()) / lam, rel=1e-6)


def test_erlang_a_with_patience_rate_equal_to_service_rate_is_mm_infinity():
    # theta = mu: every citizen present leaves at rate mu, so the count is Poisson(lam/mu).
    lam, mu, c = 2.0, 0.5, 3
    r = theory.erlang_a(lam, mu, c, theta=mu)
    assert r["p_wait"] == pytest.approx(stats.poisson.sf(c - 1, lam / mu), rel=1e-9)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    r = theory.erlang_a(0.25, 0.1, 3, theta=1e-7)
    assert r["mean_wait"] == pytest.approx(theory.mmc_mean_wait(0.25, 0.1, 3), rel=1e-3)
    assert r["p_wait"] == pytest.approx(theory.erlang_c(0.25, 0.1, 3), rel=1e-4)


def test_min_staff_for_target():
    lam, mu = 0.25, 0.1
    c = theory.min_staff_for_target(lam, mu, target_wait=10, share=0.9)
    assert theory.mmc_wait_cdf(10, lam, mu, c) >= 0.9
    assert c - 1 <= lam / mu or theory.mmc_wait_cdf(10, lam, mu, c - 1) < 0.9
    assert theory.min_staff_for_target(0.0, mu, 10) == 0


def test_student_t_quantile_against_tables_and_scipy():
    from simulation.summary_stats import t_interval, t_quantile

    # Printed tables (two-sided 95 %): df 1, 2, 10, 29, 120.
    for df, value in [(1, 12.7062), (2, 4.3027), (10, 2.2281), (29, 2.0452), (120, 1.9799)]:
        assert t_quantile(0.975, df) == pytest.approx(value, abs=1e-4)
    for df in [1, 2, 3, 5, 9, 19, 29, 49, 99, 299, 999]:
        for p in [0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 0.005]:
            assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-10), (p, df)
    assert t_quantile(0.5, 7) == 0.0 and math.isnan(t_quantile(1.0, 7)) and math.isnan(t_quantile(0.9, 0))
    x = np.array([3.1, 4.7, 2.2, 5.9, 4.4])
    mean, lo, hi = t_interval(x)
    half = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)
    assert (lo, hi) == pytest.approx((mean - half, mean + half), rel=1e-12)


def test_cobham_one_counter_and_the_conservation_law():
    # M/M/1, two classes: W1 = rho/mu / (1 - rho1), W2 = rho/mu / ((1 - rho1)(1 - rho)).
    mu, lams = 1.25, [0.3, 0.5]
    rho1, rho = 0.3 / mu, 0.8 / mu
    w = theory.cobham_mmc_waits(lams, mu, 1)
    assert w[0] == pytest.approx(rho / mu / (1 - rho1))
    assert w[1] == pytest.approx(rho / mu / ((1 - rho1) * (1 - rho)))
    # Kleinrock's conservation law: with equal service rates, priority reorders the queue
    # but the mean wait over all classes is the FCFS (Erlang C) wait.
    for c, lams, mu in ((1, [0.2, 0.3, 0.2], 1.0), (3, [0.5, 1.0], 0.6), (5, [1.0, 0.5, 2.0], 1.0)):
        w = theory.cobham_mmc_waits(lams, mu, c)
        assert sum(x * lam for x, lam in zip(w, lams)) / sum(lams) == pytest.approx(
            theory.mmc_mean_wait(sum(lams), mu, c))
        assert w == sorted(w)  # the higher the priority, the shorter the wait
    assert theory.cobham_mmc_waits([1.0, 1.0], 1.0, 2) == [math.inf, math.inf]


def test_mmck_limits():
    # K = c: nobody waits, Erlang B blocking; K large: Erlang C.
    assert theory.mmck(2.0, 1.0, 3, 3)["p_block"] == pytest.approx(theory.erlang_b(2.0, 3))
    assert theory.mmck(2.0, 1.0, 3, 3)["mean_wait"] == 0.0
    big = theory.mmck(2.0, 1.0, 3, 2000)
    assert big["p_block"] < 1e-12
    assert big["mean_wait"] == pytest.approx(theory.mmc_mean_wait(2.0, 1.0, 3))
    # M/M/1/K at load 1: every state equally likely.
    m = theory.mmck(1.0, 1.0, 1, 4)
    assert m["p_block"] == pytest.approx(1 / 5)
    assert m["mean_queue_length"] == pytest.approx((1 + 2 + 3) / 5)
    with pytest.raises(ValueError):
        theory.mmck(1.0, 1.0, 2, 1)
