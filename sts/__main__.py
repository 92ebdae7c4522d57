"""Entry point for ``python -m sts``."""

import sys

from sts.cli import main

sys.exit(main())
