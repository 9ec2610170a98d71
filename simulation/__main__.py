"""``python -m simulation`` is the same as the ``loket`` command."""

import sys

from ._entry import main

sys.exit(main())
