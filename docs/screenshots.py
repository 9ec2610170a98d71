"""Screenshots of what a reader meets first: each shipped office's report in both languages and the city report.

Runs ``loket run`` on every shipped scenario (its own replications and seed, both languages)
and ``loket city`` on all of them, then opens each report in headless Chromium and saves the
first screen (1100 x 1300 pixels) as ``docs/screens/<office>_<lang>.png`` and
``docs/screens/city_<lang>.png``. The README's charts come from the same runs:
``docs/<office>_standard_met.png`` and ``docs/city.png`` (English). The web page's screenshots (``docs/app.png``,
``docs/app_id.png``) come from the browser test, ``pytest -m browser tests/test_app.py``.

Run from the project root (needs ``chromium`` on the PATH)::

    python docs/screenshots.py [--replications N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "docs" / "screens"
WINDOW = "1100,1300"


def _loket(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "simulation", *args, "--quiet"], check=True, cwd=ROOT)


def _screenshot(page: Path, png: Path, profile: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("screenshots.py: no chromium on the PATH (apt-get install chromium)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                    "--hide-scrollbars", f"--window-size={WINDOW}", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, help="override each scenario's replications")
    args = parser.parse_args(argv)
    reps = ["--replications", str(args.replications)] if args.replications else []
    scenarios = sorted((ROOT / "scenarios").glob("*_bengkulu.toml"))
    SCREENS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = []
        for path in scenarios:
            office = path.stem.removesuffix("_bengkulu")
            _loket("run", str(path), "--lang", "en,id", "--out", str(work / office), *reps)
            pages += [(work / office / "report.html", f"{office}_en.png"),
                      (work / office / "report.id.html", f"{office}_id.png")]
            shutil.copyfile(work / office / "standard_met.png", ROOT / "docs" / f"{office}_standard_met.png")
        _loket("city", *map(str, scenarios), "--lang", "en,id", "--out", str(work / "city"), *reps)
        pages += [(work / "city" / "report.html", "city_en.png"), (work / "city" / "report.id.html", "city_id.png")]
        shutil.copyfile(work / "city" / "city.png", ROOT / "docs" / "city.png")
        for page, name in pages:
            _screenshot(page, SCREENS / name, work / f"profile-{name}")
            print(SCREENS / name)


if __name__ == "__main__":
    main()
