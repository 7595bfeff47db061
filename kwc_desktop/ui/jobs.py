"""Background work: one runner, in order, off the GUI thread; each result comes back on the GUI thread
as an Outcome — the value, or the exception — never both in one `Any`.

The worker is a daemon thread: quitting never waits for a keyring call that hangs (a slow or locked
keyring once froze the window for six seconds at quit). The window decides how long to wait.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from kwc_desktop.services.outcome import Outcome, Report

logger = logging.getLogger(__name__)
T = TypeVar("T")


class JobRunner(QObject):
    """Runs jobs one after another on a daemon thread; `done(outcome)` and `progress(part)` run on the GUI
    thread (the thread that made the runner)."""

    _delivered = Signal(object, object)  # worker -> GUI thread: (callback, argument)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        # A deque and a condition rather than queue.SimpleQueue: the `queue` module (and heapq) would be
        # one more import on the way to the first paint, for one put and one get.
        self._queue: deque[tuple[Callable[[Report], Any], Callable[[Outcome[Any]], None] | None,
                                 Callable[[Any], None] | None]] = deque()
        self._queued = threading.Condition()
        self._thread: threading.Thread | None = None
        self._unfinished = 0  # queued or running, until its `done` has run
        self._unrun = 0  # queued or running, until its work has returned
        self._idle = threading.Condition()
        self._closed = False
        self._delivered.connect(self._deliver)

    def submit(self, work: Callable[[Report], T], done: Callable[[Outcome[T]], None] | None = None,
               progress: Callable[[Any], None] | None = None) -> None:
        """Queue `work(report)`; it may call `report(part)` any number of times."""
        if self._closed:
            return
        with self._idle:
            self._unfinished += 1
            self._unrun += 1
        with self._queued:
            self._queue.append((work, done, progress))
            self._queued.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def unfinished(self) -> int:
        """Jobs queued or running whose results have not been handed over yet."""
        with self._idle:
            return self._unfinished

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every job has run (its result may still wait for the event loop); False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._unrun:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self) -> None:
        """Accept no more jobs; what runs now finishes on its own (its result is dropped)."""
        self._closed = True

    # --- worker side ---------------------------------------------------------------------------

    def _run(self) -> None:
        from PySide6.QtCore import QEventLoop

        # Gives this thread an event dispatcher (never run): Qt objects a job builds may start timers
        # (a long QTextDocument lays itself out lazily), and without one Qt warns on every timer.
        dispatcher = QEventLoop()  # noqa: F841 - kept for the life of the thread
        while True:
            with self._queued:
                while not self._queue:
                    self._queued.wait()
                work, done, progress = self._queue.popleft()
            report = self._reporter(progress)
            try:
                outcome: Outcome[Any] = Outcome(value=work(report))
            except Exception as error:  # noqa: BLE001 - handed to `done`, which decides what to tell the user
                # Without its traceback: the frames would keep the job's objects (Qt objects that belong
                # to this thread, values it handled) alive on the GUI thread.
                outcome = Outcome(error=error.with_traceback(None))
            self._emit(self._finish(done), outcome)
            with self._idle:
                self._unrun -= 1
                self._idle.notify_all()

    def _reporter(self, progress: Callable[[Any], None] | None) -> Report:
        return (lambda part: self._emit(progress, part)) if progress else (lambda _part: None)

    def _finish(self, done: Callable[[Outcome[Any]], None] | None) -> Callable[[Outcome[Any]], None]:
        def finish(outcome: Outcome[Any]) -> None:
            with self._idle:
                self._unfinished -= 1
            if done is not None:
                done(outcome)

        return finish

    def _emit(self, callback: Callable[[Any], None] | None, argument: Any) -> None:
        if callback is None or self._closed:
            return
        try:
            self._delivered.emit(callback, argument)
        except RuntimeError:  # the app is gone: nobody to tell
            pass

    def _deliver(self, callback: Callable[[Any], None], argument: Any) -> None:
        try:
            callback(argument)
        except Exception as e:  # a bug in a callback must not stop later results from arriving
            # The type only: a message could quote a secret the job handled.
            logger.error("a background job's result could not be handled: %s", type(e).__name__)
