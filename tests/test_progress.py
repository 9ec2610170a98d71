"""One progress bar over every simulation of a command (simulation/progress.py)."""

import io
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from builders import write_one_desk_office

from simulation.progress import Progress, for_call, part

ROOT = Path(__file__).resolve().parent.parent
FRAME = re.compile(r"(\d+)%\|[^|]*\| (\d+)/(\d+) \[")


def _fake_run_scenario(replications: int, progress) -> None:
    """What run_scenario does with ``progress``: ``(done, total)`` after each replication, from 1."""
    for done in range(1, replications + 1):
        if progress is not None:
            progress(done, replications)


def test_counts_every_policy_of_every_replication_over_several_calls():
    bar = Progress(28, quiet=True)
    seen = []
    for weight in (3, 2, 2):  # e.g. a round of the staffing advice, a second round, the rota
        update = for_call(bar, weight)
        for done in range(1, 5):
            update(done, 4)
            seen.append((bar.done, bar.total))
    assert [d for d, _ in seen] == [3, 6, 9, 12, 14, 16, 18, 20, 22, 24, 26, 28]
    assert all(t == 28 for _, t in seen)


def test_a_short_estimate_grows_as_soon_as_a_call_starts_and_never_passes_the_total():
    bar = Progress(10, quiet=True)
    _fake_run_scenario(4, for_call(bar, 2))  # 8 of the estimated 10
    update = for_call(bar, 3)  # 12 more: the total must grow at the call's first report
    update(1, 4)
    assert (bar.done, bar.total) == (11, 20)
    for done in range(2, 5):
        update(done, 4)
        assert bar.done <= bar.total
    assert (bar.done, bar.total) == (20, 20)


def test_the_bar_as_a_plain_callback_starts_again_with_each_call():
    bar = Progress(6, quiet=True)
    for replications in (1, 1, 4):  # a call of one replication ends where the next begins
        _fake_run_scenario(replications, bar)
    assert (bar.done, bar.total) == (6, 6)


def test_a_plain_callback_sees_each_call_as_before():
    calls = []

    def plain(done, total):
        calls.append((done, total))

    assert for_call(plain, 3) is plain and for_call(None, 3) is None
    for _ in range(2):
        _fake_run_scenario(2, for_call(plain, 3))
    assert calls == [(1, 2), (2, 2), (1, 2), (2, 2)]


def test_a_part_that_needs_less_than_its_estimate_shrinks_the_total_and_keeps_the_rest():
    bar = Progress(100, quiet=True)  # this part estimated at 60, 40 more after it
    this = part(bar, 60)
    _fake_run_scenario(10, for_call(bar, 2))
    this.remaining(4)  # only 4 more in this part, not 40
    assert (bar.done, bar.total) == (20, 64)
    _fake_run_scenario(2, for_call(bar, 2))
    _fake_run_scenario(40, for_call(bar, 1))
    assert (bar.done, bar.total) == (64, 64)
    part(None, 5).remaining(1)  # without a Progress: nothing to do


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_finished_bar_says_100_percent_of_what_was_done_on_a_terminal():
    screen = _Terminal()
    bar = Progress(30, file=screen)  # an estimate too long: 10 are done
    _fake_run_scenario(5, for_call(bar, 2))
    bar.finish()
    frames = [f for f in screen.getvalue().split("\r") if FRAME.search(f)]
    bar.close()
    assert frames, screen.getvalue()
    percent, done, total = FRAME.search(frames[-1]).groups()
    assert (percent, done, total) == ("100", "10", "10")


def test_no_bar_with_quiet_or_off_a_terminal():
    assert Progress(5, quiet=True).bar is None
    off = io.StringIO()  # not a terminal
    bar = Progress(5, file=off)
    _fake_run_scenario(5, bar)
    bar.finish()
    bar.close()
    assert off.getvalue() == ""


# -- the command line -----------------------------------------------------------------------

def _office(path: Path, staff: int = 2, per_hour: float = 10.0) -> Path:
    return write_one_desk_office(path, "small_office", staff, per_hour)


def _on_terminal(*args: str) -> tuple[int, str]:
    """Run ``loket ARGS`` with its error output on a pseudo-terminal; the exit status and what it showed."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("needs a pseudo-terminal (POSIX)")
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "simulation", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    shown = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed: the command ended
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=300)
    finally:
        os.close(master)
    return code, shown.decode("utf-8", "replace")


def _frames(shown: str) -> list[tuple[int, int, int]]:
    return [tuple(int(x) for x in m.groups()) for m in FRAME.finditer(shown)]


def _one_bar_to_the_end(shown: str, unit: str) -> tuple[int, int]:
    frames = _frames(shown)
    assert frames, shown
    assert all(done <= total for _, done, total in frames), frames  # never past 100 %
    dones = [done for _, done, _ in frames]
    assert dones == sorted(dones), frames  # one bar: it never goes back
    percent, done, total = frames[-1]
    assert percent == 100 and done == total, frames
    assert unit in shown
    return done, total


def test_sweep_shows_one_bar_over_every_policy_and_replication(tmp_path):
    office = _office(tmp_path / "office.toml")
    code, shown = _on_terminal("sweep", str(office), "--station", "desk", "--wfh-share", "0,0.5,1", "--jobs", "1",
                               "--out", str(tmp_path / "sweep"))
    assert code == 0, shown
    done, total = _one_bar_to_the_end(shown, "simulation")
    assert total == 3 * 3  # shares 0, 0.5, 1 (one policy each) x 3 replications
    assert {t for _, _, t in _frames(shown)} == {9}  # known from the start


def test_staff_shows_one_bar_that_ends_at_100_percent_of_what_the_advice_ran(tmp_path):
    office = _office(tmp_path / "office.toml")
    code, shown = _on_terminal("staff", str(office), "--jobs", "2", "--out", str(tmp_path / "staff"))
    assert code == 0, shown
    done, _ = _one_bar_to_the_end(shown, "simulation")
    assert done % 20 == 0 and done >= 3 * 20  # whole policies of 20 replications, at least one round and the rota


def test_run_keeps_its_bar_of_replications(tmp_path):
    office = _office(tmp_path / "office.toml")
    code, shown = _on_terminal("run", str(office), "--replications", "4", "--jobs", "1", "--out", str(tmp_path / "r"))
    assert code == 0, shown
    assert _one_bar_to_the_end(shown, "replication") == (4, 4)


def test_quiet_shows_no_bar_even_on_a_terminal(tmp_path):
    office = _office(tmp_path / "office.toml")
    code, shown = _on_terminal("sweep", str(office), "--station", "desk", "--wfh-share", "0,0.5", "--jobs", "1",
                               "--out", str(tmp_path / "sweep"), "--quiet")
    assert code == 0, shown
    assert "simulating" not in shown and "%|" not in shown


def test_no_bar_when_the_error_output_is_not_a_terminal(tmp_path):
    office = _office(tmp_path / "office.toml")
    proc = subprocess.run([sys.executable, "-m", "simulation", "sweep", str(office), "--station", "desk",
                           "--wfh-share", "0,0.5", "--jobs", "1", "--out", str(tmp_path / "sweep")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "simulating" not in proc.stderr and "%|" not in proc.stderr and "\r" not in proc.stderr
