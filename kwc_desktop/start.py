"""What `kwc-desktop` does first: the window when no command is named, else the command line (the cli package).

The window is how most users start the app, so its way here imports neither the command line's parser
nor its commands: only what this module needs to check that there is a screen and to start the window.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kwc_desktop.console import fail, prepare_streams
from kwc_desktop.environment import display_problem, environment_lang


def main(argv: Sequence[str] | None = None) -> int:
    """`kwc-desktop`, `kwc-desktop-cli` and `python -m kwc_desktop` (the frozen app's entry too)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    mode = window_only(arguments)
    prepare_streams(for_window=mode is not None)
    if mode is not None:
        return start_window(mode)
    from kwc_desktop.cli import main as command_line

    return command_line(arguments, window=start_window)


def window_only(argv: list[str]) -> str | bool | None:
    """What `kwc-desktop` with no command asks for — the window (False), or `--smoke` and its mode —
    read without argparse: building the parser with every command's options is a few milliseconds of
    the first paint. None: anything else, for the command line's parser (and its messages) to handle."""
    if not argv:
        return False
    return {("--smoke",): "paint", ("--smoke", "paint"): "paint", ("--smoke=paint",): "paint",
            ("--smoke", "resume"): "resume", ("--smoke=resume",): "resume"}.get(tuple(argv))


def start_window(smoke: str | bool) -> int:
    problem = display_problem()
    if problem is not None:
        # Qt would abort (exit 134) blaming a library; the truth is that there is no screen to show on.
        fail(problem.message(environment_lang()))
    # Start-up makes objects that live as long as the window (modules, Qt wrappers, the program): Python's
    # collector went through them 54 times before the first paint (12-15 ms, measured) and freed 300 of
    # 30,000 objects. It is off until the window and its pages are built (run_gui turns it on again, and
    # those few are freed then).
    import gc

    gc.disable()
    try:
        from kwc_desktop.app import run_gui

        return run_gui(smoke=smoke)
    finally:
        gc.enable()
