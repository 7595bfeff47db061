"""What background work gives back: a value, or the error it raised (never both in one `Any`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from kwc_desktop.domain.records import record

T = TypeVar("T")


@record
class Outcome(Generic[T]):
    """What a job gave: `value`, or the `error` it raised."""

    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Report = Callable[[Any], None]  # a job's way to hand partial results to the GUI thread
