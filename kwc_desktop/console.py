"""The console both entry points share: exit statuses, the one-line error, and standard streams that say when
they fail (a full disk, a closed descriptor, a reader that went away) instead of losing output silently."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from kwc_desktop.domain.text import Lang
from kwc_desktop.environment import environment_lang

EXIT_USAGE = 2
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


def fail(message: str) -> NoReturn:
    """A command-line error: one line on stderr, exit status 2. Whatever the message quotes (argparse's own
    messages quote the argument as typed) is `shown`: secrets masked, line breaks written as escapes."""
    from kwc_desktop.domain.text import shown

    print(f"kwc-desktop: {shown(message)}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
