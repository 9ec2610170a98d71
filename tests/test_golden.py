"""Golden results (tests/golden_outputs.py): every number the commands write, byte for byte.

The house move of issue 24 must change no number by accident: each shipped scenario (3
replications), ``staff``/``sweep``/``city`` on the Kelurahan office and ``validate --quick``
are run afresh and every CSV, TOML and Markdown file they write is compared with the
manifest's hash. A change meant to alter numbers regenerates the manifest in its own commit
(``python tests/golden_outputs.py --write``) and says why.
"""

import json

import pytest
from golden_outputs import MANIFEST, produce

pytestmark = pytest.mark.slow


def test_every_command_writes_the_golden_numbers(tmp_path):
    expected = json.loads(MANIFEST.read_text(encoding="utf-8"))
    found = produce(tmp_path)
    missing = sorted(expected.keys() - found.keys())
    extra = sorted(found.keys() - expected.keys())
    differ = sorted(k for k in expected.keys() & found.keys() if expected[k] != found[k])
    assert not (missing or extra or differ), {"differ": differ, "missing": missing, "new": extra}
