"""``python -m workers.cli`` is the ``octograph`` command."""

import sys

from workers.cli import main

sys.exit(main())
