"""Builders for small scenarios used across the tests."""

from __future__ import annotations

import copy

from simulation import parse_scenario


def scenario_dict(**run) -> dict:
    """A small two-station office (verification -> recording) as a scenario dictionary."""
    data = {
        "name": "test_office",
        "run": {"days": 2, "open": "08:00", "close": "16:00", "replications": 4, "seed": 7},
        "stations": [
            {
                "name": "verifikasi",
                "staff": 1,
                "service": {"dist": "exponential", "mean": 3.0},
                "next": {"ektp": 0.8},
            },
            {"name": "ektp", "staff": 2, "service": {"dist": "lognormal", "mean": 6.0, "cv": 0.5}},
        ],
        "arrivals": [{"station": "verifikasi", "per_hour": [12, 18, 15, 10, 4, 8, 6, 3]}],
    }
    data["run"].update(run)
    return copy.deepcopy(data)


def single_station(per_hour, service: dict, staff: int, days: int, replications: int = 20, seed: int = 1,
                   warmup_minutes: float = 0.0, target: float = 30.0, open="00:00", close="24:00",
                   after_close="serve"):
    """A one-station office; by default open 24 hours, i.e. one continuous queue (steady state)."""
    return parse_scenario(
        {
            "name": "single",
            "run": {"days": days, "open": open, "close": close, "replications": replications, "seed": seed,
                    "warmup_minutes": warmup_minutes, "after_close": after_close},
            "stations": [{"name": "desk", "staff": staff, "service": service, "target_wait_minutes": target}],
            "arrivals": [{"station": "desk", "per_hour": per_hour}],
        }
    )


def write_one_desk_office(path, name: str = "small_office", staff: int = 2, per_hour: float = 10.0):
    """A one-desk office with a full-office and a half-at-home policy, written as a scenario file."""
    import tomli_w

    path.write_text(tomli_w.dumps({
        "name": name,
        "run": {"days": 5, "replications": 3, "seed": 11},
        "stations": [{"name": "desk", "staff": staff, "service": {"dist": "exponential", "mean": 10.0},
                      "target_wait_minutes": 15}],
        "arrivals": [{"station": "desk", "per_hour": per_hour}],
        "policies": {"full_office": {}, "wfh_50": {"wfh_share": {"desk": 0.5}}},
    }))
    return path
