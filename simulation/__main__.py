"""``python -m simulation`` is the same as the ``loket`` command."""

import sys

from .cli import main

sys.exit(main())
