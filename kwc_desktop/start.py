"""What `kwc-desktop` does first: the window when no command is named, else the command line (cli.py).

The window is how most users start the app, so its way here imports neither the command line's parser
nor its commands: only what this module needs to check that there is a screen and to start the window.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from kwc_desktop.domain.text import Lang, UserError, as_lang

EXIT_USAGE = 2

# What the interpreter loaded before the app's first line: site, the .pth files and a sitecustomize (Debian's
# python3 has one). The list of the first paint's imports (--smoke, for tests/test_startup_imports.py)
# leaves these out: they are not on the app's start path, and they differ from one Python to the next.
PRELOADED = frozenset(sys.modules)


def main(argv: Sequence[str] | None = None) -> int:
    """`kwc-desktop`, `kwc-desktop-cli` and `python -m kwc_desktop` (the frozen app's entry too)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    mode = window_only(arguments)
    prepare_streams(for_window=mode is not None)
    if mode is not None:
        return start_window(mode)
    from kwc_desktop.cli import main as command_line

    return command_line(arguments)


EXIT_OUTPUT_FAILED = 1  # as POSIX tools: what was to be printed could not be


class StdoutFailed(BaseException):
    """Standard output stopped taking text (a full disk, a closed descriptor, a reader that went away).
    A BaseException, as SystemExit is: no `except Exception` on the way may take it for the command's own
    error and say something else; it goes to run_command, which says it once."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


class _CheckedStdout:
    """sys.stdout for a command: every write and flush that fails raises StdoutFailed."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except (OSError, ValueError) as e:  # ValueError: the stream was closed
            raise StdoutFailed(e) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError) as e:
            raise StdoutFailed(e) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _ClosedStdout:
    """What a command prints to when the shell closed its standard output (`>&-`): it fails, as writing to
    the closed descriptor would, rather than going nowhere with exit status 0."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def run_command(run: Callable[[], int], arguments: Sequence[str] = ()) -> int:
    """Run a command and flush what it printed: a write error on stdout at any moment is one line on stderr
    and exit status 1 — silent for a reader that went away (`| head -c1`: the reader chose to stop, as the
    tools killed by SIGPIPE say nothing either)."""
    code = 0
    exiting: SystemExit | None = None
    try:
        try:
            code = run()
        except SystemExit as e:  # fail()'s exit 2, argparse's --help and --version: they printed too
            exiting = e
        sys.stdout.flush()
    except StdoutFailed as failed:
        _silence_stdout()
        error = failed.error
        if not isinstance(error, BrokenPipeError):
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            from kwc_desktop.domain.text import messages

            lang = _lang_in(arguments)
            print(f"kwc-desktop: {messages()('cli.stdout_failed', lang, reason=reason)}", file=sys.stderr)
        return EXIT_OUTPUT_FAILED
    if exiting is not None:
        raise exiting
    return code


def _silence_stdout() -> None:
    """Nothing more is printed, nor flushed at exit: the text still buffered goes to the null device (Python
    would otherwise try again at exit and print its own "Exception ignored" lines)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
        finally:
            os.close(null)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the rest of the process


def _lang_in(arguments: Sequence[str]) -> Lang:
    """The command's --lang, read without its parser (the message is said after the command ended)."""
    for n, argument in enumerate(arguments):
        if argument == "--lang" and n + 1 < len(arguments) and arguments[n + 1] in ("ja", "en"):
            return arguments[n + 1]  # type: ignore[return-value]
        if argument in ("--lang=ja", "--lang=en"):
            return argument[7:]  # type: ignore[return-value]
    return environment_lang()


def prepare_streams(for_window: bool = True) -> None:
    """UTF-8 on every console or pipe (a Windows pipe defaults to the ANSI code page, cp932 or cp1252).
    The windowed Windows build (kwc-desktop.exe) has no console: sys.stdout and sys.stderr are None. Its
    commands still run (`kwc-desktop.exe checklist … --out x.pdf` writes the PDF); what they print goes
    nowhere rather than raising. Elsewhere a None stdout is one the shell closed (`>&-`): a command's output
    then fails (run_command says so), and the descriptors 0-2 are held by the null device, so that no file
    the command opens takes one of their numbers (a child process would write into it)."""
    if isinstance(sys.stdout, (_CheckedStdout, _ClosedStdout)):
        return  # prepared already (cli.main after start.main)
    was_closed = _hold_standard_descriptors() if os.name == "posix" else set()
    if sys.stdout is None:
        closed = 1 in was_closed and not for_window  # else a program with no console: its output goes nowhere
        sys.stdout = _ClosedStdout() if closed else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if not for_window:
        sys.stdout = _CheckedStdout(sys.stdout)


def _hold_standard_descriptors() -> set[int]:
    """The null device on each of the descriptors 0-2 that was closed; which they were."""
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                break
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    return closed


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


def environment_lang() -> Lang:
    """The user's language for the command line: LC_ALL / LC_MESSAGES / LANG where set (Unix shells),
    else the Windows display language (Windows sets none of those variables)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return as_lang(value)
    if sys.platform == "win32":
        import ctypes

        language_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return "ja" if language_id & 0x3FF == 0x11 else "en"  # LANG_JAPANESE
    return "en"


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> UserError | None:
    """Why the GUI cannot be shown here (no display to connect to), or None. Only X11/Wayland systems
    need this: Windows and macOS always have a screen for a desktop app."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith(("linux", "freebsd", "openbsd", "netbsd", "sunos")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("WAYLAND_DISPLAY"):
        return None  # the user chose a platform, or a Wayland session: Qt knows how to reach it
    display = env.get("DISPLAY", "")
    if not display:
        return UserError("app.no_display")
    return None if _x_server_answers(display) else UserError("app.display_unreachable", display=display)


def _x_server_answers(display: str) -> bool:
    """Whether an X server listens where DISPLAY points (a socket connect, well under a millisecond)."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form we do not know: let Qt try
    try:
        if host in ("", "unix") or host.startswith("/"):
            path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
            for address in (path, "\0" + path):  # a file socket, or Linux's abstract one
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    try:
                        s.connect(address)
                        return True
                    except OSError:
                        continue
            return False
        with socket.create_connection((host, 6000 + int(number)), timeout=1.0):
            return True
    except OSError:
        return False


def fail(message: str) -> NoReturn:
    """A command-line error: one line on stderr, exit status 2. Whatever the message quotes (argparse's own
    messages quote the argument as typed) is `shown`: secrets masked, line breaks written as escapes."""
    from kwc_desktop.domain.text import shown

    print(f"kwc-desktop: {shown(message)}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
