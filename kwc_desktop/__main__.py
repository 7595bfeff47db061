"""`python -m kwc_desktop` — the same as the `kwc-desktop` command."""

import sys

from kwc_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
