"""`python -m kwc_desktop` — the same as the `kwc-desktop` command (and the frozen app's entry point)."""

import sys

from kwc_desktop.cli import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A frozen app that starts a process (a big call log is read by two) must let that process run
        # its job instead of starting the app again: on Windows and macOS processes are spawned.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
