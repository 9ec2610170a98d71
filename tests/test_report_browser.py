"""The report as a reader sees it: report.html and report.id.html rendered in headless Chromium.

Marked ``browser``; skipped, saying why, where no Chromium is installed (``.ci/run`` installs
it from the system's package manager when it can).
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium on this machine (apt-get install "
                                 "chromium); the report's screenshots need a real browser")]


def _screenshot(page: Path, png: Path, profile: Path) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                    "--hide-scrollbars", "--window-size=1100,1600", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def test_both_reports_render_in_a_real_browser(kelurahan_run, tmp_path):
    out = kelurahan_run.folder  # the shipped Kelurahan scenario in both languages (tests/conftest.py)
    for page, shot in (("report.html", "en.png"), ("report.id.html", "id.png")):
        png = tmp_path / shot
        _screenshot(out / page, png, tmp_path / f"profile-{shot}")
        with Image.open(png) as im:
            assert im.size == (1100, 1600)
            pixels = np.asarray(im.convert("RGB"))
        # Not a blank or error page: dark text, the blue executive-summary bar and the chart colours.
        assert (pixels.sum(axis=2) < 200).mean() > 0.005
        blue = (np.abs(pixels.astype(int) - [0, 114, 178]).sum(axis=2) < 40).mean()
        assert blue > 0.001
