"""Golden results: the numbers every command writes, fixed byte for byte while the code moves.

Each shipped scenario run with 3 replications (its own seed), and on the Kelurahan office
``loket staff``, ``loket sweep`` and ``loket city``, plus ``loket validate --quick``. Every
table and text the commands write (CSV, TOML, Markdown) is hashed (SHA-256); the manifest
``tests/golden/manifest.json`` holds the hashes. Charts, HTML pages and ``run.json`` (dates,
wall-clock times, versions) are left out: the numbers are in the tables.

A change that alters numbers on purpose regenerates the manifest in the same commit and says
why::

    python tests/golden_outputs.py --write

``tests/test_golden.py`` compares a fresh set with the manifest and names every file that differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "golden" / "manifest.json"
KEPT = (".csv", ".toml", ".md")
KELURAHAN = "scenarios/kelurahan_bengkulu.toml"


def commands() -> dict[str, list[str]]:
    """Folder name -> the ``loket`` command that writes it (``--out`` added)."""
    out = {f"run/{p.stem}": ["run", f"scenarios/{p.name}", "--replications", "3", "--lang", "en,id"]
           for p in sorted((ROOT / "scenarios").glob("*.toml"))}
    out["staff/kelurahan"] = ["staff", KELURAHAN, "--replications", "3", "--lang", "en,id"]
    out["sweep/kelurahan"] = ["sweep", KELURAHAN, "--station", "pelayanan", "--wfh-share", "0,0.5",
                              "--replications", "3", "--lang", "en,id"]
    out["city/kelurahan"] = ["city", KELURAHAN, "--replications", "3", "--lang", "en,id"]
    out["validate/quick"] = ["validate", "--quick"]
    return out


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every kept file under ``folder``, by its path relative to it."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in KEPT}


def produce(work: Path, jobs: int = 2) -> dict[str, str]:
    """Run every command into ``work`` and return the hashes of what they wrote."""
    found = {}
    for name, args in commands().items():
        folder = work / name
        subprocess.run([sys.executable, "-m", "simulation", *args, "--out", str(folder), "--jobs", str(jobs),
                        "--quiet"] if args[0] != "validate" else
                       [sys.executable, "-m", "simulation", *args, "--out", str(folder), "--jobs", str(jobs)],
                       cwd=ROOT, check=True, capture_output=True)
        found |= {f"{name}/{rel}": digest for rel, digest in hashes(folder).items()}
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the manifest (else: compare with it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        found = produce(Path(tmp))
    if args.write:
        MANIFEST.parent.mkdir(parents=True, exist_ok=True)
        MANIFEST.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{MANIFEST.relative_to(ROOT)}: {len(found)} files")
        return
    expected = json.loads(MANIFEST.read_text(encoding="utf-8"))
    differ = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    print("\n".join(differ) if differ else f"all {len(found)} files as the manifest")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
