"""`python -m generator` is the same as the `briefing` command."""

import sys

from generator.cli import main

sys.exit(main())
